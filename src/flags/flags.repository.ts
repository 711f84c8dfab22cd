import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FlagDetails } from './domain/flag-decision';
import { FlagResolution, FlagStatus, FlagSubjectType, FlagType } from './domain/flag-type';

export interface FlagRow {
  id: string;
  type: FlagType;
  subjectType: FlagSubjectType;
  subjectId: string;
  status: FlagStatus;
  clinicId: string | null;
  batchId: string | null;
  doseId: string | null;
  reviewId: string | null;
  details: FlagDetails;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: FlagResolution | null;
}

export interface FlagListRow extends FlagRow {
  cursorAt: string;
}

/** Where a flag belongs: the clinic that may see it and the records it points at. */
export interface FlagPlacement {
  clinicId: string | null;
  batchId: string | null;
  doseId: string | null;
  reviewId: string | null;
}

export interface NewFlag extends FlagPlacement {
  type: FlagType;
  subjectType: FlagSubjectType;
  subjectId: string;
  details: FlagDetails;
  raisedAt: Date;
}

export interface FlagListFilter {
  type: FlagType | null;
  status: FlagStatus | null;
  batchId: string | null;
  /** A doctor's clinic; null for CPC staff, who see every clinic. */
  clinicId: string | null;
}

const FLAG_COLUMNS = `id, type, subject_type AS "subjectType", subject_id AS "subjectId", status, clinic_id AS "clinicId",
  batch_id AS "batchId", dose_id AS "doseId", review_id AS "reviewId", details, raised_at AS "raisedAt",
  acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy", resolved_at AS "resolvedAt",
  resolved_by AS "resolvedBy", resolution`;
const CURSOR_AT = `to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;
const OPEN = `status IN ('OPEN', 'ACKNOWLEDGED')`;

/**
 * The advisory-lock key that serialises every evaluation of one (type, subject). Exported so a test can hold
 * it from outside (to catch a job mid-evaluation); the SQL is `hashtextextended(key, 0)`.
 */
export function flagLockKey(type: FlagType, subjectId: string): string {
  return `flag:${type}:${subjectId}`;
}

@Injectable()
export class FlagsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Held to the end of the transaction: two jobs evaluating the same subject run one after the other, and
   * the second reads the record as the first left it, so a stale reading never raises a resolved flag again.
   */
  async lockSubject(type: FlagType, subjectId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      flagLockKey(type, subjectId),
    ]);
  }

  async findOpen(type: FlagType, subjectId: string, manager: EntityManager): Promise<FlagRow | null> {
    const rows = await manager.query<FlagRow[]>(
      `SELECT ${FLAG_COLUMNS} FROM flags WHERE type = $1 AND subject_id = $2 AND ${OPEN}`,
      [type, subjectId],
    );
    return rows[0] ?? null;
  }

  async wasEverRaised(type: FlagType, subjectId: string, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'SELECT 1 FROM flags WHERE type = $1 AND subject_id = $2 LIMIT 1',
      [type, subjectId],
    );
    return rows.length > 0;
  }

  /** The new open flag, or null when the unique indexes say one exists already. */
  async insertOpen(flag: NewFlag, manager: EntityManager): Promise<FlagRow | null> {
    const rows = await manager.query<FlagRow[]>(
      `INSERT INTO flags (type, subject_type, subject_id, clinic_id, batch_id, dose_id, review_id, details, raised_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING
       RETURNING ${FLAG_COLUMNS}`,
      [
        flag.type,
        flag.subjectType,
        flag.subjectId,
        flag.clinicId,
        flag.batchId,
        flag.doseId,
        flag.reviewId,
        JSON.stringify(flag.details),
        flag.raisedAt,
      ],
    );
    return rows[0] ?? null;
  }

  async resolve(
    id: string,
    change: { at: Date; resolution: FlagResolution; by: string | null },
    manager: EntityManager,
  ): Promise<FlagRow> {
    const rows = await manager.query<[FlagRow[], number]>(
      `UPDATE flags SET status = 'RESOLVED', resolved_at = $2, resolution = $3, resolved_by = $4,
              acknowledged_at = CASE WHEN $3 = 'ACKNOWLEDGED_BY_QA' THEN coalesce(acknowledged_at, $2) ELSE acknowledged_at END,
              acknowledged_by = CASE WHEN $3 = 'ACKNOWLEDGED_BY_QA' THEN coalesce(acknowledged_by, $4) ELSE acknowledged_by END
        WHERE id = $1
       RETURNING ${FLAG_COLUMNS}`,
      [id, change.at, change.resolution, change.by],
    );
    return rows[0][0];
  }

  async acknowledge(id: string, at: Date, by: string, manager: EntityManager): Promise<FlagRow> {
    const rows = await manager.query<[FlagRow[], number]>(
      `UPDATE flags SET status = 'ACKNOWLEDGED', acknowledged_at = $2, acknowledged_by = $3
        WHERE id = $1
       RETURNING ${FLAG_COLUMNS}`,
      [id, at, by],
    );
    return rows[0][0];
  }

  async updateDetails(id: string, details: FlagDetails, manager: EntityManager): Promise<FlagRow> {
    const rows = await manager.query<[FlagRow[], number]>(
      `UPDATE flags SET details = $2 WHERE id = $1 RETURNING ${FLAG_COLUMNS}`,
      [id, JSON.stringify(details)],
    );
    return rows[0][0];
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<FlagRow | null> {
    const rows = await manager.query<FlagRow[]>(`SELECT ${FLAG_COLUMNS} FROM flags WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByIdForUpdate(id: string, manager: EntityManager): Promise<FlagRow | null> {
    const rows = await manager.query<FlagRow[]>(
      `SELECT ${FLAG_COLUMNS} FROM flags WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The subjects with an open flag of `type`: few, whatever the history (served by flags_one_open). */
  async openSubjectIds(type: FlagType): Promise<string[]> {
    const rows = await this.db.query<{ subjectId: string }[]>(
      `SELECT subject_id AS "subjectId" FROM flags WHERE type = $1 AND ${OPEN}`,
      [type],
    );
    return rows.map((row) => row.subjectId);
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async list(filter: FlagListFilter, limit: number, after: [string, string] | null): Promise<FlagListRow[]> {
    return this.db.query<FlagListRow[]>(
      `SELECT ${FLAG_COLUMNS}, ${CURSOR_AT} FROM flags
        WHERE ($1::text IS NULL OR type = $1)
          AND ($2::text IS NULL OR status = $2)
          AND ($3::uuid IS NULL OR batch_id = $3)
          AND ($4::uuid IS NULL OR clinic_id = $4)
          AND ($5::timestamptz IS NULL OR (raised_at, id) < ($5::timestamptz, $6::uuid))
        ORDER BY raised_at DESC, id DESC
        LIMIT $7`,
      [
        filter.type,
        filter.status,
        filter.batchId,
        filter.clinicId,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit,
      ],
    );
  }
}
