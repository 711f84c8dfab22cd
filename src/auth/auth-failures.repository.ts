import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type AuthFailureKind = 'LOGIN' | 'SIGNATURE';

/** Failed logins and failed signatures, kept in PostgreSQL so every process counts the same attempts. */
@Injectable()
export class AuthFailuresRepository {
  async insert(userId: string, kind: AuthFailureKind, at: Date, manager: EntityManager): Promise<void> {
    await manager.query('INSERT INTO auth_failures (user_id, kind, at) VALUES ($1, $2, $3)', [
      userId,
      kind,
      at,
    ]);
  }

  /** Failures of either kind after `since` (exclusive); served by the (user_id, at) index. */
  async countSince(userId: string, since: Date, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM auth_failures WHERE user_id = $1 AND at > $2',
      [userId, since],
    );
    return rows[0].count;
  }
}
