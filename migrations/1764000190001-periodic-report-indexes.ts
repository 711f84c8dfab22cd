import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The periodic report (src/read-model/periodic-report.repository.ts) counts each kind of record by its own
 * time in a period. Over ten years of records a year's report must read that year's rows only, so each of
 * those times gets an index; the partial ones cover the rare rows (recalls, failures after release, discards).
 */
export class PeriodicReportIndexes1764000190001 implements MigrationInterface {
  name = 'PeriodicReportIndexes1764000190001';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of INDEXES) await db.query(`CREATE INDEX ${statement}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of INDEXES) await db.query(`DROP INDEX ${statement.split(' ')[0]}`);
  }
}

const INDEXES = [
  'report_harvests_received ON harvests (received_at) INCLUDE (status, clinic_id) WHERE received_at IS NOT NULL',
  'report_batch_decisions_signed ON batch_decisions (signed_at) INCLUDE (decision, batch_id)',
  `report_batches_discarded ON batches (updated_at) INCLUDE (clinic_id) WHERE status = 'DISCARDED'`,
  'report_doses_administered ON doses (administered_at) INCLUDE (batch_id) WHERE administered_at IS NOT NULL',
  'report_doses_recalled ON doses (recalled_at) INCLUDE (batch_id) WHERE recalled_at IS NOT NULL',
  'report_boosters_requested ON boosters (requested_at) INCLUDE (clinic_id)',
  `report_qc_failures_after_release ON qc_results (recorded_at) INCLUDE (batch_id)
     WHERE recorded_after_release AND outcome = 'FAIL' AND superseded_by IS NULL`,
  'report_deviations_occurred ON deviations (occurred_at) INCLUDE (severity, batch_id)',
  'report_adverse_events_closed ON adverse_events (closed_at) INCLUDE (causality, clinic_id) WHERE closed_at IS NOT NULL',
];
