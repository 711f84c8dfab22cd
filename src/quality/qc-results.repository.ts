import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppliedLimit } from './domain/qc-evaluation';
import { CategoricalResult } from './domain/qc-measurement';
import { QcOutcome, QcTest } from './domain/specification';

export interface QcResultRow {
  id: string;
  ordinal: number;
  batchId: string;
  test: QcTest;
  result: CategoricalResult | null;
  value: number | null;
  qualifier: '<' | null;
  unit: string | null;
  testedAt: Date;
  outcome: QcOutcome;
  spec: AppliedLimit;
  specificationId: string;
  recordedAfterRelease: boolean;
  correctsId: string | null;
  supersededBy: string | null;
  reason: string | null;
  recordedBy: string;
  recordedByRole: string;
  recordedAt: Date;
}

export type NewQcResult = Omit<QcResultRow, 'id' | 'ordinal' | 'supersededBy'>;

const COLUMNS = `id, ordinal, batch_id AS "batchId", test, result, value, qualifier, unit, tested_at AS "testedAt",
  outcome, applied_spec AS spec, specification_id AS "specificationId", recorded_after_release AS "recordedAfterRelease",
  corrects_id AS "correctsId", superseded_by AS "supersededBy", reason, recorded_by AS "recordedBy",
  recorded_by_role AS "recordedByRole", recorded_at AS "recordedAt"`;

@Injectable()
export class QcResultsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A result of this batch (never another batch's, so a correction cannot reach across batches). */
  async findOfBatch(batchId: string, id: string, manager: EntityManager): Promise<QcResultRow | null> {
    const rows = await manager.query<QcResultRow[]>(
      `SELECT ${COLUMNS} FROM qc_results WHERE batch_id = $1 AND id = $2`,
      [batchId, id],
    );
    return rows[0] ?? null;
  }

  /** Every result of the batch in the order recorded, superseded ones included (the counting rule needs them). */
  async listOfBatch(batchId: string, manager: EntityManager = this.db.manager): Promise<QcResultRow[]> {
    return manager.query<QcResultRow[]>(
      `SELECT ${COLUMNS} FROM qc_results WHERE batch_id = $1 ORDER BY ordinal`,
      [batchId],
    );
  }

  async insert(result: NewQcResult, manager: EntityManager): Promise<QcResultRow> {
    const rows = await manager.query<QcResultRow[]>(
      `INSERT INTO qc_results (batch_id, test, result, value, qualifier, unit, tested_at, outcome, applied_spec,
         specification_id, recorded_after_release, corrects_id, reason, recorded_by, recorded_by_role, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING ${COLUMNS}`,
      [
        result.batchId,
        result.test,
        result.result,
        result.value,
        result.qualifier,
        result.unit,
        result.testedAt,
        result.outcome,
        JSON.stringify(result.spec),
        result.specificationId,
        result.recordedAfterRelease,
        result.correctsId,
        result.reason,
        result.recordedBy,
        result.recordedByRole,
        result.recordedAt,
      ],
    );
    return rows[0];
  }

  /** Marks a corrected result; only a current one, so a second correction of it changes nothing here. */
  async markSuperseded(id: string, supersededBy: string, manager: EntityManager): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const rows = await manager.query<unknown[]>(
      `WITH marked AS (UPDATE qc_results SET superseded_by = $2 WHERE id = $1 AND superseded_by IS NULL RETURNING id)
       SELECT id FROM marked`,
      [id, supersededBy],
    );
    return rows.length === 1;
  }
}
