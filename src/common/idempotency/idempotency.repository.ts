import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface StoredKey {
  fingerprint: string;
  state: 'IN_FLIGHT' | 'DONE';
  stale: boolean;
  responseStatus: number | null;
  responseBody: unknown;
}

/** A key whose first request died unanswered is free again after this long. */
const STALE_AFTER_SECONDS = 60;
/** Keys live at least 24 h (docs/http-api.md, "Idempotency"); they are purged a day after that. */
export const KEY_RETENTION_HOURS = 48;

/**
 * Idempotency keys live in PostgreSQL so every API process sees the same keys. They are bookkeeping of the
 * HTTP layer, not business records, so they are written outside the command's transaction and not audited.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Claims the key for a new request; returns the existing row when someone holds it already. */
  async claim(userId: string, key: string, fingerprint: string): Promise<StoredKey | null> {
    const inserted = await this.db.query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, state, locked_at)
       VALUES ($1, $2, $3, 'IN_FLIGHT', now())
       ON CONFLICT (user_id, key) DO NOTHING
       RETURNING 1`,
      [userId, key, fingerprint],
    );
    if (inserted.length > 0) return null;
    const rows = await this.db.query<
      {
        fingerprint: string;
        state: 'IN_FLIGHT' | 'DONE';
        stale: boolean;
        response_status: number | null;
        response_body: unknown;
      }[]
    >(
      `SELECT fingerprint, state, response_status, response_body,
              locked_at < now() - make_interval(secs => $3) AS stale
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key, STALE_AFTER_SECONDS],
    );
    if (rows.length === 0) return this.claim(userId, key, fingerprint); // freed in between: try again
    const row = rows[0];
    return {
      fingerprint: row.fingerprint,
      state: row.state,
      stale: row.stale,
      responseStatus: row.response_status,
      responseBody: row.response_body,
    };
  }

  /** Takes over a stale in-flight key; false when another retry took it first. */
  async takeOver(userId: string, key: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [, affected] = await this.db.query<[unknown[], number]>(
      `UPDATE idempotency_keys SET locked_at = now()
        WHERE user_id = $1 AND key = $2 AND state = 'IN_FLIGHT'
          AND locked_at < now() - make_interval(secs => $3)
      `,
      [userId, key, STALE_AFTER_SECONDS],
    );
    return affected > 0;
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET state = 'DONE', response_status = $3, response_body = $4::json
        WHERE user_id = $1 AND key = $2`,
      [userId, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /** A 5xx is not an answer: the key is released so the client may retry with it. */
  async release(userId: string, key: string): Promise<void> {
    await this.db.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'IN_FLIGHT'`,
      [userId, key],
    );
  }

  /** Forgets keys past their retention; answers how many. Run by the hourly expiry sweep. */
  async purgeExpired(now: Date): Promise<number> {
    const [, removed] = await this.db.query<[unknown[], number]>(
      `DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz - make_interval(hours => $2)`,
      [now.toISOString(), KEY_RETENTION_HOURS],
    );
    return removed;
  }
}
