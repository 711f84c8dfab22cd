import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FlagEventType } from './domain/flag-event';

/**
 * A flag event as announced: the `notification_events` table (append-only). Its id is the `webhook-id` of
 * every delivery of it; `body` is the JSON sent, stored once so every retry sends the same bytes.
 */
@Entity('notification_events')
export class NotificationEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  type!: FlagEventType;

  @Column({ name: 'flag_id', type: 'uuid' })
  flagId!: string;

  @Column({ name: 'flag_type', type: 'text' })
  flagType!: string;

  @Column({ name: 'clinic_id', type: 'uuid', nullable: true })
  clinicId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
