import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '../locks/advisory-locks';

export interface StoredKey {
  fingerprint: string;
  /** `IN_FLIGHT` only on rows claimed by an earlier version, which claimed keys outside the command's transaction. */
  state: 'IN_FLIGHT' | 'DONE';
  responseStatus: number | null;
  responseBody: unknown;
}

/** Keys live at least 24 h (docs/http-api.md, "Idempotency"); they are purged a day after that. */
export const KEY_RETENTION_HOURS = 48;

/**
 * Idempotency keys live in PostgreSQL so every API process sees the same keys. A key's row is written in the
 * request's own transaction (src/common/transaction/request-transaction.ts), with the answer, so it commits
 * with the command's effects: a key is either free with no effect, or done with its answer. Bookkeeping of
 * the HTTP layer, not a business record: not audited.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes the key for the rest of `manager`'s transaction, or answers false at once when another
   * transaction holds it (a request with that key is running). A transaction-level advisory lock, so a
   * process that dies lets go of it with its connection.
   */
  async tryLock(manager: EntityManager, userId: string, key: string): Promise<boolean> {
    const rows = await manager.query<{ locked: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, $3)) AS locked`,
      [userId, key, ADVISORY_LOCKS.idempotencySeed],
    );
    return rows[0].locked;
  }

  async find(manager: EntityManager, userId: string, key: string): Promise<StoredKey | null> {
    const rows = await manager.query<
      {
        fingerprint: string;
        state: 'IN_FLIGHT' | 'DONE';
        response_status: number | null;
        response_body: unknown;
      }[]
    >(
      `SELECT fingerprint, state, response_status, response_body
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      fingerprint: row.fingerprint,
      state: row.state,
      responseStatus: row.response_status,
      responseBody: row.response_body,
    };
  }

  /** Saves the answer under the key, in `manager`'s transaction (the caller holds the key's lock). */
  async save(
    manager: EntityManager,
    userId: string,
    key: string,
    fingerprint: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, state, locked_at, response_status, response_body)
       VALUES ($1, $2, $3, 'DONE', now(), $4, $5::json)`,
      [userId, key, fingerprint, status, body === undefined ? null : JSON.stringify(body)],
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
