import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../common/transaction/actor';
import { CREATED_AT_CURSOR_SQL } from '../common/pagination/created-at-cursor';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
  active: boolean;
  passwordHash: string;
  /** The end of the account's latest sign-in lock (for any source), past or running; src/auth/auth-lock.entity.ts. */
  lockedUntil: Date | null;
  /** Tokens issued before this moment are refused (password change, unlock, logout); null: none revoked. */
  tokensValidAfter: Date | null;
  createdAt: Date;
}

/** A row with the key of its keyset cursor (`created_at` to the microsecond, as PostgreSQL holds it). */
export interface UserListRow extends UserRow {
  cursorAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
  passwordHash: string;
  createdAt: Date;
}

/** The fields an administrator may change; the hash and lock-out have their own methods. */
export interface UserChanges {
  name: string;
  role: Role;
  clinicId: string | null;
  active: boolean;
}

export const USER_COLUMNS = `id, email, name, role, clinic_id AS "clinicId", active, password_hash AS "passwordHash",
  (SELECT max(l.locked_until) FROM auth_locks l WHERE l.account = lower(users.email)) AS "lockedUntil",
  tokens_valid_after AS "tokensValidAfter", created_at AS "createdAt"`;

const CURSOR_AT = CREATED_AT_CURSOR_SQL;

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<UserRow | null> {
    const rows = await manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByEmail(email: string, manager: EntityManager = this.db.manager): Promise<UserRow | null> {
    const rows = await manager.query<UserRow[]>(
      `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ?? null;
  }

  /**
   * The user's row, locked until the transaction ends: whoever changes the account or counts its failed
   * attempts holds it, so two processes never count past each other.
   */
  async findByIds(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async findByIdForUpdate(id: string, manager: EntityManager): Promise<UserRow | null> {
    const rows = await manager.query<UserRow[]>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async anyExists(manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM users LIMIT 1');
    return rows.length > 0;
  }

  async insert(user: NewUser, manager: EntityManager): Promise<UserRow> {
    const rows = await manager.query<UserRow[]>(
      `INSERT INTO users (email, name, role, clinic_id, password_hash, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       RETURNING ${USER_COLUMNS}`,
      [user.email, user.name, user.role, user.clinicId, user.passwordHash, user.createdAt],
    );
    return rows[0];
  }

  async update(id: string, changes: UserChanges, at: Date, manager: EntityManager): Promise<UserRow> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows] = await manager.query<[UserRow[], number]>(
      `UPDATE users SET name = $2, role = $3, clinic_id = $4, active = $5, updated_at = $6
        WHERE id = $1
       RETURNING ${USER_COLUMNS}`,
      [id, changes.name, changes.role, changes.clinicId, changes.active, at],
    );
    return rows[0];
  }

  async updatePasswordHash(
    id: string,
    passwordHash: string,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query('UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1', [
      id,
      passwordHash,
      at,
    ]);
  }

  /** Refuses every token issued before `at` (src/auth/auth.guard.ts compares each token's issue time). */
  async revokeTokens(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      'UPDATE users SET tokens_valid_after = GREATEST(tokens_valid_after, $2) WHERE id = $1',
      [id, at],
    );
  }

  /**
   * The ids of the active administrators, each row locked. Two admins demoting each other at once queue here,
   * and the second sees the first one's change, so the last admin cannot be removed by a race.
   */
  async lockActiveAdmins(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
    );
    return rows.map((row) => row.id);
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async list(
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<UserListRow[]> {
    return manager.query<UserListRow[]>(
      `SELECT ${USER_COLUMNS}, ${CURSOR_AT} FROM users
        WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
