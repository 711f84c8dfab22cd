import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReceiptDeviation } from './domain/cold-chain';
import { DoseKind } from './domain/dose-label';
import { DoseStatus } from './domain/dose-state-machine';
import { InjectionSite } from './domain/injection-site';

/**
 * A dose from formulation to the bedside: the `doses` table, owned by this module (docs/architecture.md,
 * "Table ownership"). The batch it came from (DIN, clinic, donor) is the batches module's to answer.
 */
@Entity('doses')
export class DoseEntity {
  /** Chosen by the service before the insert, so material usage can name the dose it went into. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  /** `<DIN>-Dnn` (fresh) or `<DIN>-Bnn` (booster); unique (doses_label_unique). */
  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'text' })
  kind!: DoseKind;

  @Column({ name: 'booster_id', type: 'uuid', nullable: true })
  boosterId!: string | null;

  @Column({ type: 'bigint' })
  cells!: number;

  @Column({ name: 'volume_ml', type: 'numeric' })
  volumeMl!: number;

  @Column({ name: 'formulated_at', type: 'timestamptz' })
  formulatedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text' })
  status!: DoseStatus;

  @Column({ name: 'formulated_by', type: 'uuid' })
  formulatedBy!: string;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ name: 'receipt_temperature_c', type: 'numeric', nullable: true })
  receiptTemperatureC!: number | null;

  @Column({ name: 'receipt_intact', type: 'boolean', nullable: true })
  receiptIntact!: boolean | null;

  @Column({ name: 'receipt_deviations', type: 'jsonb' })
  receiptDeviations!: ReceiptDeviation[];

  @Column({ name: 'administered_at', type: 'timestamptz', nullable: true })
  administeredAt!: Date | null;

  @Column({ name: 'administered_by', type: 'uuid', nullable: true })
  administeredBy!: string | null;

  @Column({ type: 'text', nullable: true })
  site!: InjectionSite | null;

  @Column({ name: 'destroyed_at', type: 'timestamptz', nullable: true })
  destroyedAt!: Date | null;

  @Column({ name: 'destruction_reason', type: 'text', nullable: true })
  destructionReason!: string | null;

  @Column({ name: 'recalled_at', type: 'timestamptz', nullable: true })
  recalledAt!: Date | null;

  @Column({ name: 'recall_reason', type: 'text', nullable: true })
  recallReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
