import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A receiver of flag events: the `webhooks` table, owned by this module (docs/architecture.md). Its signing
 * secret is stored sealed (domain/webhook-secret.ts) and never leaves this module in the clear but once, in
 * the answer to its creation.
 */
@Entity('webhooks')
export class WebhookEntity {
  /** Chosen before the insert: the sealed secret is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Flag types, or `*` alone for all of them. */
  @Column({ type: 'text', array: true })
  events!: string[];

  /** null: the facility's webhook; else one clinic's flags only. */
  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
