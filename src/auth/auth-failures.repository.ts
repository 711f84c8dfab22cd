import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '../common/locks/advisory-locks';
import { WHOLE_ACCOUNT } from './auth-lock.entity';

export type AuthFailureKind = 'LOGIN' | 'SIGNATURE';

/** The locks that concern one attempt: the account's for its source, and the account's for every source. */
export interface LockState {
  forSource: Date | null;
  forAll: Date | null;
}

export interface NewFailure {
  userId: string | null;
  account: string;
  source: string;
  kind: AuthFailureKind;
  at: Date;
}

/**
 * Failed logins and signatures and the locks they set, kept in PostgreSQL so every process counts the same
 * attempts. `account` is the lower-cased e-mail, whether or not a user has it.
 */
@Injectable()
export class AuthFailuresRepository {
  /** Serializes every attempt on the account, in any process, until the transaction ends. */
  async lockAccount(account: string, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, $2))`, [
      account,
      ADVISORY_LOCKS.authFailuresSeed,
    ]);
  }

  async locks(account: string, source: string, manager: EntityManager): Promise<LockState> {
    const rows = await manager.query<{ source: string; locked_until: Date }[]>(
      'SELECT source, locked_until FROM auth_locks WHERE account = $1 AND source = ANY($2::text[])',
      [account, [source, WHOLE_ACCOUNT]],
    );
    const find = (wanted: string) => rows.find((row) => row.source === wanted)?.locked_until ?? null;
    return { forSource: find(source), forAll: find(WHOLE_ACCOUNT) };
  }

  /** Failures after each moment (exclusive): from this source, and from all sources. */
  async count(
    account: string,
    source: string,
    sourceSince: Date,
    allSince: Date,
    manager: EntityManager,
  ): Promise<{ fromSource: number; fromAll: number }> {
    const rows = await manager.query<{ from_source: number; from_all: number }[]>(
      `SELECT count(*) FILTER (WHERE source = $2 AND at > $3)::int AS from_source,
              count(*) FILTER (WHERE at > $4)::int AS from_all
         FROM auth_failures WHERE account = $1 AND at > least($3::timestamptz, $4::timestamptz)`,
      [account, source, sourceSince, allSince],
    );
    return { fromSource: rows[0].from_source, fromAll: rows[0].from_all };
  }

  async insert(failure: NewFailure, manager: EntityManager): Promise<string> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO auth_failures (user_id, account, source, kind, at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [failure.userId, failure.account, failure.source, failure.kind, failure.at],
    );
    return rows[0].id;
  }

  /** Takes back an admitted attempt whose password was right. */
  async remove(id: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM auth_failures WHERE id = $1', [id]);
  }

  async setLock(account: string, source: string, until: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO auth_locks (account, source, locked_until) VALUES ($1, $2, $3)
       ON CONFLICT (account, source) DO UPDATE SET locked_until = EXCLUDED.locked_until`,
      [account, source, until],
    );
  }

  /** Ends every lock of the account now; the failures before now no longer count. */
  async unlock(account: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM auth_locks WHERE account = $1 AND source <> $2`, [
      account,
      WHOLE_ACCOUNT,
    ]);
    await this.setLock(account, WHOLE_ACCOUNT, at, manager);
  }
}
