import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../common/transaction/actor';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  clinicId: string | null;
  active: boolean;
  passwordHash: string;
  lockedUntil: Date | null;
  createdAt: Date;
}

export const USER_COLUMNS = `id, email, name, role, clinic_id AS "clinicId", active, password_hash AS "passwordHash",
  locked_until AS "lockedUntil", created_at AS "createdAt"`;

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<UserRow | null> {
    const rows = await manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByEmail(email: string, manager: EntityManager = this.db.manager): Promise<UserRow | null> {
    const rows = await manager.query<UserRow[]>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }
}
