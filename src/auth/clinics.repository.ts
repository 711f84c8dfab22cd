import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_SQL } from '../common/pagination/created-at-cursor';

export interface ClinicRow {
  id: string;
  code: string;
  name: string;
  createdAt: Date;
}

export interface ClinicListRow extends ClinicRow {
  cursorAt: string;
}

const CLINIC_COLUMNS = `id, code, name, created_at AS "createdAt"`;
const CURSOR_AT = CREATED_AT_CURSOR_SQL;

@Injectable()
export class ClinicsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<ClinicRow | null> {
    const rows = await manager.query<ClinicRow[]>(`SELECT ${CLINIC_COLUMNS} FROM clinics WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async findByCodes(
    codes: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<ClinicRow[]> {
    if (codes.length === 0) return [];
    return manager.query<ClinicRow[]>(`SELECT ${CLINIC_COLUMNS} FROM clinics WHERE code = ANY($1::text[])`, [
      codes,
    ]);
  }

  async insert(
    clinic: { code: string; name: string; createdAt: Date },
    manager: EntityManager,
  ): Promise<ClinicRow> {
    const rows = await manager.query<ClinicRow[]>(
      `INSERT INTO clinics (code, name, created_at) VALUES ($1, $2, $3) RETURNING ${CLINIC_COLUMNS}`,
      [clinic.code, clinic.name, clinic.createdAt],
    );
    return rows[0];
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async list(
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<ClinicListRow[]> {
    return manager.query<ClinicListRow[]>(
      `SELECT ${CLINIC_COLUMNS}, ${CURSOR_AT} FROM clinics
        WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
