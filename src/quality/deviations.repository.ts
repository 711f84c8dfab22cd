import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviationSeverity } from './domain/deviation-severity';

export interface DeviationSignature {
  signerId: string;
  signerName: string;
  signerRole: string;
  meaning: string;
  signedAt: string;
  recordHash: string;
}

export interface DeviationRow {
  id: string;
  batchId: string;
  description: string;
  severity: DeviationSeverity;
  occurredAt: Date;
  status: 'OPEN' | 'CLOSED';
  openedBy: string;
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
  resolution: string | null;
  signature: DeviationSignature | null;
}

export interface DeviationListRow extends DeviationRow {
  cursorAt: string;
}

export interface NewDeviation {
  batchId: string;
  description: string;
  severity: DeviationSeverity;
  occurredAt: Date;
  openedBy: string;
  openedAt: Date;
}

export interface DeviationClosure {
  closedBy: string;
  closedAt: Date;
  resolution: string;
  signature: DeviationSignature;
}

const COLUMNS = `d.id, d.batch_id AS "batchId", d.description, d.severity,
  d.occurred_at AS "occurredAt", d.status, d.opened_by AS "openedBy", d.opened_at AS "openedAt",
  d.closed_by AS "closedBy", d.closed_at AS "closedAt", d.resolution, d.signature`;
const CURSOR_AT = `to_char(d.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

@Injectable()
export class DeviationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<DeviationRow | null> {
    const rows = await manager.query<DeviationRow[]>(`SELECT ${COLUMNS} FROM deviations d WHERE d.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async insert(deviation: NewDeviation, manager: EntityManager): Promise<DeviationRow> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO deviations (batch_id, description, severity, occurred_at, opened_by, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        deviation.batchId,
        deviation.description,
        deviation.severity,
        deviation.occurredAt,
        deviation.openedBy,
        deviation.openedAt,
      ],
    );
    return (await this.findById(rows[0].id, manager)) as DeviationRow;
  }

  /**
   * Closes the deviation if it is still open; false when someone closed it first. The status in the WHERE
   * clause is the referee between two QA users closing at once (rule 6: a deviation is closed once).
   */
  async closeIfOpen(id: string, closure: DeviationClosure, manager: EntityManager): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const rows = await manager.query<unknown[]>(
      `WITH closed AS (
         UPDATE deviations SET status = 'CLOSED', closed_by = $2, closed_at = $3, resolution = $4, signature = $5
          WHERE id = $1 AND status = 'OPEN'
         RETURNING id)
       SELECT id FROM closed`,
      [id, closure.closedBy, closure.closedAt, closure.resolution, JSON.stringify(closure.signature)],
    );
    return rows.length === 1;
  }

  async countOpenOfBatch(batchId: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM deviations WHERE batch_id = $1 AND status = 'OPEN'`,
      [batchId],
    );
    return rows[0].count;
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async listOfBatch(
    batchId: string,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<DeviationListRow[]> {
    return manager.query<DeviationListRow[]>(
      `SELECT ${COLUMNS}, ${CURSOR_AT} FROM deviations d
        WHERE d.batch_id = $1 AND ($2::timestamptz IS NULL OR (d.opened_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.opened_at DESC, d.id DESC
        LIMIT $4`,
      [batchId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
