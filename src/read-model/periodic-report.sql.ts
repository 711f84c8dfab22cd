/**
 * The clinic filter of a table without clinic_id, through its batch. With no clinic asked ($3 NULL) PostgreSQL
 * folds the whole condition away when it plans the statement, so the all-clinics report joins nothing. With a
 * clinic, the uncorrelated IN becomes one hashed subplan: the clinic's batch ids, read once from the
 * batches_clinic index, then a hash probe per row (an EXISTS beside the OR would be a look-up per row).
 */
const BATCH_IN_CLINIC = (alias: string): string =>
  `($3::uuid IS NULL OR ${alias}.batch_id IN (SELECT cb.id FROM batches cb WHERE cb.clinic_id = $3))`;
const IN_PERIOD = (column: string): string => `${column} >= $1 AND ${column} < $2`;
const IN_CLINIC = (column: string): string => `($3::uuid IS NULL OR ${column} = $3)`;

/**
 * The periodic report's counts in one set-based statement: every figure is a count over the rows whose own
 * time falls in [from, to), each through an index on that time (migration 1764000190001), so a year costs
 * what the year holds, not the ten years around it.
 */
export const PERIODIC_COUNTS_SQL = `
  WITH harvest_counts AS (
         SELECT count(*) FILTER (WHERE status = 'RECEIVED')::int AS received,
                count(*) FILTER (WHERE status = 'REJECTED')::int AS rejected
           FROM harvests WHERE ${IN_PERIOD('received_at')} AND ${IN_CLINIC('clinic_id')}),
       started AS (
         SELECT count(*)::int AS n FROM batches WHERE ${IN_PERIOD('created_at')} AND ${IN_CLINIC('clinic_id')}),
       decided AS (
         SELECT count(*) FILTER (WHERE d.decision = 'RELEASE')::int AS released,
                count(*) FILTER (WHERE d.decision = 'REJECT')::int AS rejected
           FROM batch_decisions d WHERE ${IN_PERIOD('d.signed_at')} AND ${BATCH_IN_CLINIC('d')}),
       discarded AS (
         SELECT count(*)::int AS n FROM batches
          WHERE status = 'DISCARDED' AND ${IN_PERIOD('updated_at')} AND ${IN_CLINIC('clinic_id')}),
       administered AS (
         SELECT count(*)::int AS n, count(DISTINCT b.donor_id)::int AS patients
           FROM doses x JOIN batches b ON b.id = x.batch_id
          WHERE ${IN_PERIOD('x.administered_at')} AND ${IN_CLINIC('b.clinic_id')}),
       recalled AS (
         SELECT count(*)::int AS n FROM doses x WHERE ${IN_PERIOD('x.recalled_at')} AND ${BATCH_IN_CLINIC('x')}),
       booster_requests AS (
         SELECT count(*)::int AS n FROM boosters WHERE ${IN_PERIOD('requested_at')} AND ${IN_CLINIC('clinic_id')}),
       qc_failures AS (
         SELECT count(*)::int AS n FROM qc_results q
          WHERE q.recorded_after_release AND q.outcome = 'FAIL' AND q.superseded_by IS NULL
            AND ${IN_PERIOD('q.recorded_at')} AND ${BATCH_IN_CLINIC('q')}),
       seriousness AS (
         SELECT json_object_agg(seriousness, n) AS counts FROM (
           SELECT seriousness, count(*)::int AS n FROM adverse_events
            WHERE ${IN_PERIOD('onset_at')} AND ${IN_CLINIC('clinic_id')} GROUP BY seriousness) s),
       causality AS (
         SELECT json_object_agg(causality, n) AS counts FROM (
           SELECT causality, count(*)::int AS n FROM adverse_events
            WHERE ${IN_PERIOD('closed_at')} AND ${IN_CLINIC('clinic_id')} GROUP BY causality) c),
       deviation_counts AS (
         SELECT json_object_agg(severity, n) AS counts FROM (
           SELECT v.severity, count(*)::int AS n FROM deviations v
            WHERE ${IN_PERIOD('v.occurred_at')} AND ${BATCH_IN_CLINIC('v')} GROUP BY v.severity) s)
  SELECT h.received AS "harvestsReceived", h.rejected AS "harvestsRejected", st.n AS "batchesStarted",
         de.released AS "batchesReleased", de.rejected AS "batchesRejected", di.n AS "batchesDiscarded",
         ad.n AS "dosesAdministered", re.n AS "dosesRecalled", ad.patients AS "patientsTreated",
         bo.n AS boosters, qf.n AS "postReleaseQcFailures", se.counts AS "bySeriousness",
         ca.counts AS "byCausality", dv.counts AS deviations
    FROM harvest_counts h, started st, decided de, discarded di, administered ad, recalled re,
         booster_requests bo, qc_failures qf, seriousness se, causality ca, deviation_counts dv`;
