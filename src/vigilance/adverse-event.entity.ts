import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AdverseEventStatus, Causality, Seriousness } from './domain/adverse-event-rules';

/** A signature on a report or a conclusion (21 CFR 11.50): who, printed name, meaning, when, what was signed. */
export interface VigilanceSignature {
  signerId: string;
  signerName: string;
  signerRole: string;
  meaning: string;
  signedAt: string;
  recordHash: string;
}

/** An adverse event after an injection, its report and its conclusion (docs/vigilance.md). */
@Entity('adverse_events')
export class AdverseEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'donor_id', type: 'uuid' })
  donorId!: string;

  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ name: 'dose_id', type: 'uuid', nullable: true })
  doseId!: string | null;

  /** The dose's batch, kept beside it for the look-back and the infection hold. */
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ name: 'onset_at', type: 'timestamptz' })
  onsetAt!: Date;

  @Column({ name: 'known_at', type: 'timestamptz' })
  knownAt!: Date;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  seriousness!: Seriousness;

  @Column({ name: 'suspected_infection', type: 'boolean' })
  suspectedInfection!: boolean;

  @Column({ name: 'report_due_at', type: 'timestamptz', nullable: true })
  reportDueAt!: Date | null;

  @Column({ type: 'text' })
  status!: AdverseEventStatus;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt!: Date | null;

  @Column({ name: 'report_reference', type: 'text', nullable: true })
  reportReference!: string | null;

  @Column({ name: 'reported_by', type: 'uuid', nullable: true })
  reportedBy!: string | null;

  @Column({ name: 'report_late', type: 'boolean', nullable: true })
  reportLate!: boolean | null;

  @Column({ name: 'report_signature', type: 'jsonb', nullable: true })
  reportSignature!: VigilanceSignature | null;

  @Column({ type: 'text', nullable: true })
  causality!: Causality | null;

  @Column({ type: 'text', nullable: true })
  conclusion!: string | null;

  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_signature', type: 'jsonb', nullable: true })
  closeSignature!: VigilanceSignature | null;
}
