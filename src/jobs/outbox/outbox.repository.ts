import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OutboxEventRow {
  id: number;
  type: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes up to `limit` unsent events, oldest first, hands them to `send`, and marks them sent, all in one
   * transaction. The rows stay locked while `send` runs and other relays skip them (SKIP LOCKED), so several
   * relays never send the same event at once; if `send` throws, or the process dies before the commit, the
   * rows stay unsent and are sent again later, which the deterministic job ids make harmless.
   * Answers how many events were taken.
   */
  async relayBatch(limit: number, send: (events: OutboxEventRow[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (manager) => {
      const events = await manager.query<OutboxEventRow[]>(
        `SELECT id, type, subject_type AS "subjectType", subject_id AS "subjectId", payload
           FROM outbox_events
          WHERE sent_at IS NULL
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (events.length === 0) return 0;
      await send(events);
      await manager.query('UPDATE outbox_events SET sent_at = now() WHERE id = ANY($1::bigint[])', [
        events.map((event) => event.id),
      ]);
      return events.length;
    });
  }

  /** Events committed but not yet in the queues (served by the partial index outbox_events_unsent). */
  async backlog(): Promise<number> {
    const rows = await this.db.query<{ backlog: number }[]>(
      'SELECT count(*)::int AS backlog FROM outbox_events WHERE sent_at IS NULL',
    );
    return rows[0].backlog;
  }
}
