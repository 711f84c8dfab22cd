import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { readyForInjectionSql } from '../batches/batch-read.repository';
import { BatchStatus } from '../batches/domain/batch-state-machine';
import { QcResultRecord } from '../quality/domain/qc-evaluation';

export interface ReleaseCandidateRow {
  id: string;
  din: string;
  clinicId: string;
  status: BatchStatus;
}

export interface BatchQcRecord extends QcResultRecord {
  batchId: string;
}

export interface InjectionReadinessRow {
  id: string;
  din: string;
  clinicId: string;
  expiresAt: Date | null;
  ready: boolean;
  /** Doses FORMULATED or DISPATCHED and not expired, by label. */
  readyDoses: { doseId: string; label: string; expiresAt: string }[];
}

export interface QcFailureRow {
  id: string;
  batchId: string;
  din: string;
  clinicId: string;
  donorId: string;
  donorCode: string;
  test: string;
  result: string | null;
  value: number | null;
  qualifier: string | null;
  unit: string | null;
  testedAt: Date;
  outcome: string;
  recordedAfterRelease: boolean;
}

export interface AdministeredDoseRow {
  doseId: string;
  label: string;
  administeredAt: Date;
  site: string | null;
}

/**
 * The record as the readiness processor needs it. Per-subject reads take the reconciling transaction's
 * manager (they run under the subject's lock); sweep reads cover the active set only, through partial
 * indexes, so a sweep costs what is in play, not what exists.
 */
@Injectable()
export class ReadinessFactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The batch an event's subject belongs to (a batch, one of its doses, QC results or deviations). */
  async batchIdOfSubject(subjectType: string, subjectId: string): Promise<string | null> {
    const table = SUBJECT_BATCH_COLUMN[subjectType];
    if (!table) return null;
    const rows = await this.db.query<{ batchId: string }[]>(
      `SELECT ${table.column} AS "batchId" FROM ${table.name} WHERE id = $1`,
      [subjectId],
    );
    return rows[0]?.batchId ?? null;
  }

  async releaseCandidate(batchId: string, manager: EntityManager): Promise<ReleaseCandidateRow | null> {
    const rows = await manager.query<ReleaseCandidateRow[]>(
      `SELECT id, din, clinic_id AS "clinicId", status FROM batches WHERE id = $1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  /** Open deviations hold a release back (422 DEVIATION_OPEN); QA sees the count on the flag. */
  async openDeviationCount(batchId: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM deviations WHERE batch_id = $1 AND status = 'OPEN'`,
      [batchId],
    );
    return rows[0].count;
  }

  async qcRecordsOf(batchIds: string[], manager: EntityManager = this.db.manager): Promise<BatchQcRecord[]> {
    if (batchIds.length === 0) return [];
    return manager.query<BatchQcRecord[]>(
      `SELECT id, batch_id AS "batchId", test, outcome, corrects_id AS "correctsId", ordinal AS "order"
         FROM qc_results WHERE batch_id = ANY($1::uuid[]) ORDER BY ordinal`,
      [batchIds],
    );
  }

  /** Batches in the statuses from which a release may be taken (served by the partial index batches_active). */
  async batchIdsInStatus(statuses: readonly BatchStatus[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM batches WHERE status = ANY($1::text[])`,
      [statuses],
    );
    return rows.map((row) => row.id);
  }

  /** The shared definition of "ready for injection" (batches module), for one batch at `now`. */
  async injectionReadiness(
    batchId: string,
    now: Date,
    manager: EntityManager,
  ): Promise<InjectionReadinessRow | null> {
    const rows = await manager.query<InjectionReadinessRow[]>(
      `SELECT b.id, b.din, b.clinic_id AS "clinicId", b.expires_at AS "expiresAt",
              ${readyForInjectionSql('b', '$2')} AS ready,
              coalesce((SELECT json_agg(json_build_object(
                                 'doseId', d.id, 'label', d.label,
                                 'expiresAt', to_char(d.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                               ORDER BY d.label)
                          FROM doses d
                         WHERE d.batch_id = b.id AND d.status IN ('FORMULATED', 'DISPATCHED')
                           AND $2::timestamptz < d.expires_at), '[]'::json) AS "readyDoses"
         FROM batches b WHERE b.id = $1`,
      [batchId, now],
    );
    return rows[0] ?? null;
  }

  /**
   * Batches ready for injection at `now`, found from the doses still in play (partial index doses_live,
   * range on expires_at), so released batches of past years cost nothing.
   */
  async batchIdsReadyForInjection(now: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT DISTINCT b.id
         FROM doses d JOIN batches b ON b.id = d.batch_id
        WHERE d.status IN ('FORMULATED', 'DISPATCHED', 'RECEIVED') AND d.expires_at > $1
          AND ${readyForInjectionSql('b', '$1')}`,
      [now],
    );
    return rows.map((row) => row.id);
  }

  async qcFailure(qcResultId: string, manager: EntityManager): Promise<QcFailureRow | null> {
    const rows = await manager.query<QcFailureRow[]>(
      `SELECT q.id, q.batch_id AS "batchId", b.din, b.clinic_id AS "clinicId", b.donor_id AS "donorId",
              donor.code AS "donorCode", q.test, q.result, q.value, q.qualifier, q.unit, q.tested_at AS "testedAt",
              q.outcome, q.recorded_after_release AS "recordedAfterRelease"
         FROM qc_results q
         JOIN batches b ON b.id = q.batch_id
         JOIN donors donor ON donor.id = b.donor_id
        WHERE q.id = $1`,
      [qcResultId],
    );
    return rows[0] ?? null;
  }

  /** Doses of the batch already given: the patient to follow up after a post-release failure. */
  async administeredDoses(batchId: string, manager: EntityManager): Promise<AdministeredDoseRow[]> {
    return manager.query<AdministeredDoseRow[]>(
      `SELECT id AS "doseId", label, administered_at AS "administeredAt", site
         FROM doses WHERE batch_id = $1 AND status = 'ADMINISTERED'
        ORDER BY administered_at, label`,
      [batchId],
    );
  }

  /** The batch's failing QC results recorded after release (partial index qc_results_post_release_failures). */
  async postReleaseFailureIds(batchId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM qc_results WHERE batch_id = $1 AND recorded_after_release AND outcome = 'FAIL' ORDER BY ordinal`,
      [batchId],
    );
    return rows.map((row) => row.id);
  }

  /** Failing post-release QC results that never got their flag (a lost event): few, whatever the history. */
  async unflaggedPostReleaseFailureIds(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT q.id FROM qc_results q
        WHERE q.recorded_after_release AND q.outcome = 'FAIL'
          AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.type = 'POST_RELEASE_QC_FAILURE' AND f.subject_id = q.id)`,
    );
    return rows.map((row) => row.id);
  }
}

/** Where each kind of event subject keeps its batch. */
const SUBJECT_BATCH_COLUMN: Readonly<Record<string, { name: string; column: string }>> = {
  batch: { name: 'batches', column: 'id' },
  dose: { name: 'doses', column: 'batch_id' },
  qc_result: { name: 'qc_results', column: 'batch_id' },
  deviation: { name: 'deviations', column: 'batch_id' },
};
