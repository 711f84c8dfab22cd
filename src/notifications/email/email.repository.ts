import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeliveryUpdate } from '../domain/delivery-outcome';
import { EmailDeliveryEntity, EmailState, NotificationPreferenceEntity } from './email.entity';

export type NewEmail = Pick<
  EmailDeliveryEntity,
  | 'id'
  | 'eventId'
  | 'userId'
  | 'recipient'
  | 'subject'
  | 'body'
  | 'nextAttemptAt'
  | 'windowOpenedAt'
  | 'createdAt'
>;

const DUE = `state = 'PENDING' AND next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < $1)`;

/** The `notification_preferences` and `email_deliveries` tables. */
@Injectable()
export class EmailRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async preferencesOf(userId: string): Promise<string[]> {
    const row = await this.db.manager.findOneBy(NotificationPreferenceEntity, { userId });
    return row?.emailFlagTypes ?? [];
  }

  async savePreferences(userId: string, types: string[], at: Date, manager: EntityManager): Promise<void> {
    await manager.upsert(NotificationPreferenceEntity, { userId, emailFlagTypes: types, updatedAt: at }, [
      'userId',
    ]);
  }

  /** Who asked for e-mail about this flag type (served by the GIN index on email_flag_types). */
  async subscribersOf(flagType: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ userId: string }[]>(
      `SELECT user_id AS "userId" FROM notification_preferences WHERE email_flag_types @> ARRAY[$1]::text[]`,
      [flagType],
    );
    return rows.map((row) => row.userId);
  }

  async insertEmails(emails: readonly NewEmail[], manager: EntityManager): Promise<void> {
    if (emails.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(EmailDeliveryEntity)
      .values(emails.map((email) => ({ ...email, state: 'PENDING' as const, attempts: 0 })))
      .orIgnore()
      .execute();
  }

  /** Takes a due e-mail for one attempt, held until `leaseUntil` (see WebhooksRepository.claim). */
  async claim(id: string, now: Date, leaseUntil: Date): Promise<EmailDeliveryEntity | null> {
    const rows = await this.db.query<[{ id: string }[], number]>(
      `UPDATE email_deliveries SET leased_until = $2 WHERE id = $3 AND ${DUE} RETURNING id`,
      [now, leaseUntil, id],
    );
    if (rows[0].length === 0) return null;
    return this.db.manager.findOneBy(EmailDeliveryEntity, { id });
  }

  async record(id: string, update: DeliveryUpdate, manager: EntityManager): Promise<void> {
    const state: EmailState = update.state === 'DELIVERED' ? 'SENT' : update.state;
    await manager.update(
      EmailDeliveryEntity,
      { id },
      {
        state,
        attempts: update.attempts,
        lastError: update.lastError,
        lastAttemptAt: update.lastAttemptAt,
        nextAttemptAt: update.nextAttemptAt,
        sentAt: update.deliveredAt,
        leasedUntil: null,
      },
    );
  }

  /** The recipient may no longer see the flag: the e-mail is not sent, and the log says why. */
  async withdraw(id: string, reason: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(
      EmailDeliveryEntity,
      { id },
      { state: 'WITHDRAWN', lastError: reason, lastAttemptAt: at, nextAttemptAt: null, leasedUntil: null },
    );
  }

  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM email_deliveries WHERE ${DUE} ORDER BY next_attempt_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  async dueIdsOfFlag(flagId: string, now: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT m.id FROM email_deliveries m JOIN notification_events e ON e.id = m.event_id
        WHERE e.flag_id = $2 AND m.state = 'PENDING' AND m.next_attempt_at <= $1
          AND (m.leased_until IS NULL OR m.leased_until < $1)`,
      [now, flagId],
    );
    return rows.map((row) => row.id);
  }
}
