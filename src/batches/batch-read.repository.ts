import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QcOutcome, QcTest } from '../quality/domain/specification';
import { BatchStatus } from './domain/batch-state-machine';
import type { ReceiptDeviation } from '../harvests/domain/receipt-assessment';

/**
 * "Ready for injection" (docs/domain.md, "Growth"), as one SQL predicate over a batch row aliased `batch`, at
 * the time in parameter `now`. The view, the list filter and anything else that asks use this text, so there
 * is one definition. It reads the record itself, so it is right without any job having run:
 * - released, and `now` is before the batch's shelf life ends;
 * - no post-release failure: not recalled, and no failing QC result recorded after release that a QA
 *   correction has not replaced (a later pass does not hide a failure);
 * - a dose FORMULATED or DISPATCHED whose own expiry is still ahead.
 */
export function readyForInjectionSql(batch: string, now: string): string {
  return `(${batch}.status = 'RELEASED'
    AND ${batch}.expires_at IS NOT NULL AND ${now}::timestamptz < ${batch}.expires_at
    AND ${batch}.recalled_at IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM qc_results failed
       WHERE failed.batch_id = ${batch}.id AND failed.recorded_after_release AND failed.outcome = 'FAIL'
         AND NOT EXISTS (SELECT 1 FROM qc_results correcting WHERE correcting.corrects_id = failed.id))
    AND EXISTS (
      SELECT 1 FROM doses live
       WHERE live.batch_id = ${batch}.id AND live.status IN ('FORMULATED', 'DISPATCHED')
         AND ${now}::timestamptz < live.expires_at))`;
}

export interface BatchSummaryRow {
  id: string;
  din: string;
  dinCheck: string;
  status: BatchStatus;
  biohazard: boolean;
  donorId: string;
  clinicId: string;
  harvestId: string;
  productType: string;
  targetCellCount: number;
  specificationId: string;
  specificationVersion: string;
  maxPassage: number;
  currentPassage: number | null;
  viableCellsYielded: number | null;
  cellsDrawn: number;
  expiresAt: Date | null;
  recalledAt: Date | null;
  readyForInjection: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface BatchListRow extends BatchSummaryRow {
  cursorAt: string;
}

export interface BatchViewRow extends BatchSummaryRow {
  receiptDeviations: ReceiptDeviation[];
  openDeviations: number;
  decision: string | null;
  decisionSignerId: string | null;
  decisionSignerName: string | null;
  decisionMeaning: string | null;
  decisionReason: string | null;
  decisionSignedAt: Date | null;
  decisionRecordHash: string | null;
}

/** What the growth views need of a batch. */
export interface GrowthSubjectRow {
  id: string;
  din: string;
  clinicId: string;
  status: BatchStatus;
  targetCellCount: number;
}

export interface BatchListFilter {
  /** The caller's clinic when the caller is a doctor (clinic scope), else null. */
  scopeClinicId: string | null;
  clinicId: string | null;
  status: BatchStatus | null;
  donorId: string | null;
  readyForInjection: boolean | null;
}

export interface QcResultRow {
  id: string;
  ordinal: number;
  test: QcTest;
  result: string | null;
  value: number | null;
  qualifier: string | null;
  unit: string | null;
  testedAt: Date;
  outcome: QcOutcome;
  appliedSpec: unknown;
  recordedAfterRelease: boolean;
  correctsId: string | null;
  supersededBy: string | null;
  reason: string | null;
  recordedBy: string;
  recordedByRole: string;
  recordedAt: Date;
}

const SUMMARY_COLUMNS = `b.id, b.din, b.din_check AS "dinCheck", b.status, b.biohazard, b.donor_id AS "donorId",
  b.clinic_id AS "clinicId", b.harvest_id AS "harvestId", b.product_type AS "productType",
  b.target_cell_count AS "targetCellCount", b.specification_id AS "specificationId", s.version AS "specificationVersion",
  s.max_passage AS "maxPassage", b.current_passage AS "currentPassage", b.viable_cells_yielded AS "viableCellsYielded",
  b.cells_drawn AS "cellsDrawn", b.expires_at AS "expiresAt", b.recalled_at AS "recalledAt",
  b.created_by AS "createdBy", b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;

const CURSOR_AT = `to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

/** What the batch views read: the batch with its specification, QC, open deviations and decision. */
@Injectable()
export class BatchReadRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findView(id: string, now: Date): Promise<BatchViewRow | null> {
    const rows = await this.db.query<BatchViewRow[]>(
      `SELECT ${SUMMARY_COLUMNS},
              ${readyForInjectionSql('b', '$2')} AS "readyForInjection",
              h.deviations AS "receiptDeviations",
              (SELECT count(*)::int FROM deviations d WHERE d.batch_id = b.id AND d.status = 'OPEN') AS "openDeviations",
              dec.decision, dec.signer_id AS "decisionSignerId", dec.signer_name AS "decisionSignerName",
              dec.meaning AS "decisionMeaning", dec.reason AS "decisionReason", dec.signed_at AS "decisionSignedAt",
              dec.record_hash AS "decisionRecordHash"
         FROM batches b
         JOIN specifications s ON s.id = b.specification_id
         JOIN harvests h ON h.id = b.harvest_id
         LEFT JOIN batch_decisions dec ON dec.batch_id = b.id
        WHERE b.id = $1`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async findGrowthSubject(id: string): Promise<GrowthSubjectRow | null> {
    const rows = await this.db.query<GrowthSubjectRow[]>(
      `SELECT id, din, clinic_id AS "clinicId", status, target_cell_count AS "targetCellCount" FROM batches WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findIdByDin(din: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }[]>('SELECT id FROM batches WHERE din = $1', [din]);
    return rows[0]?.id ?? null;
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async list(
    filter: BatchListFilter,
    limit: number,
    after: [string, string] | null,
    now: Date,
  ): Promise<BatchListRow[]> {
    return this.db.query<BatchListRow[]>(
      `SELECT ${SUMMARY_COLUMNS}, ${readyForInjectionSql('b', '$6')} AS "readyForInjection", ${CURSOR_AT}
         FROM batches b
         JOIN specifications s ON s.id = b.specification_id
        WHERE ($1::uuid IS NULL OR b.clinic_id = $1)
          AND ($2::uuid IS NULL OR b.clinic_id = $2)
          AND ($3::text IS NULL OR b.status = $3)
          AND ($4::uuid IS NULL OR b.donor_id = $4)
          AND ($5::boolean IS NULL OR ${readyForInjectionSql('b', '$6')} = $5)
          AND ($7::timestamptz IS NULL OR (b.created_at, b.id) < ($7::timestamptz, $8::uuid))
        ORDER BY b.created_at DESC, b.id DESC
        LIMIT $9`,
      [
        filter.scopeClinicId,
        filter.clinicId,
        filter.status,
        filter.donorId,
        filter.readyForInjection,
        now,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit,
      ],
    );
  }

  async findQcResults(batchId: string): Promise<QcResultRow[]> {
    return this.db.query<QcResultRow[]>(
      `SELECT id, ordinal, test, result, value, qualifier, unit, tested_at AS "testedAt", outcome, applied_spec AS "appliedSpec",
              recorded_after_release AS "recordedAfterRelease", corrects_id AS "correctsId", superseded_by AS "supersededBy",
              reason, recorded_by AS "recordedBy", recorded_by_role AS "recordedByRole", recorded_at AS "recordedAt"
         FROM qc_results WHERE batch_id = $1 ORDER BY ordinal`,
      [batchId],
    );
  }
}
