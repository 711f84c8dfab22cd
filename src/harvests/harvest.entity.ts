import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { HarvestStatus, ReceiptDeviation } from './domain/receipt-assessment';

export type Tissue = 'ADIPOSE' | 'BONE_MARROW' | 'SYNOVIUM';
export const TISSUES: readonly Tissue[] = ['ADIPOSE', 'BONE_MARROW', 'SYNOVIUM'];

/**
 * A tissue collection and its receipt at the CPC: the `harvests` table, owned by this module
 * (docs/architecture.md, "Table ownership"). Its checks and defaults live in the migrations.
 */
@Entity('harvests')
export class HarvestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'donor_id', type: 'uuid' })
  donorId!: string;

  /** The donor's clinic, copied at collection: what clinic scope filters on. */
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ type: 'text' })
  tissue!: Tissue;

  @Column({ name: 'volume_ml', type: 'numeric' })
  volumeMl!: number;

  @Column({ name: 'collected_at', type: 'timestamptz' })
  collectedAt!: Date;

  @Column({ name: 'collected_by', type: 'uuid' })
  collectedBy!: string;

  @Column({ type: 'text' })
  status!: HarvestStatus;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ name: 'received_by', type: 'uuid', nullable: true })
  receivedBy!: string | null;

  @Column({ name: 'temperature_c', type: 'numeric', nullable: true })
  temperatureC!: number | null;

  @Column({ type: 'boolean', nullable: true })
  intact!: boolean | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ type: 'jsonb' })
  deviations!: ReceiptDeviation[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
