import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ExcursionOutcome, ExcursionStatus } from './domain/excursion-status';

/** QA's signature on a disposition (21 CFR 11.50): who, printed name, meaning, when, and what was signed. */
export interface DispositionSignature {
  signerId: string;
  signerName: string;
  signerRole: string;
  meaning: string;
  signedAt: string;
  recordHash: string;
}

/** A run out of range long enough to matter, and QA's disposition of it (docs/environment.md, "Excursions"). */
@Entity('excursions')
export class ExcursionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @Column({ type: 'text' })
  status!: ExcursionStatus;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'last_out_at', type: 'timestamptz' })
  lastOutAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'min_c', type: 'real' })
  minC!: number;

  @Column({ name: 'max_c', type: 'real' })
  maxC!: number;

  @Column({ type: 'integer' })
  readings!: number;

  @Column({ name: 'limit_min_c', type: 'numeric', nullable: true })
  limitMinC!: number | null;

  @Column({ name: 'limit_max_c', type: 'numeric' })
  limitMaxC!: number;

  @Column({ name: 'excursion_minutes', type: 'integer' })
  excursionMinutes!: number;

  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;

  @Column({ name: 'vials_checked_at', type: 'timestamptz' })
  vialsCheckedAt!: Date;

  @Column({ type: 'text', nullable: true })
  outcome!: ExcursionOutcome | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'disposed_by', type: 'uuid', nullable: true })
  disposedBy!: string | null;

  @Column({ name: 'disposed_at', type: 'timestamptz', nullable: true })
  disposedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  signature!: DispositionSignature | null;
}
