import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One group's figures as SQL answers them. */
export interface OutcomeGroupRow {
  dimension: 'MONTH' | 'KL' | 'CELLS';
  groupKey: string;
  knees: number;
  assessed: number;
  responders: number;
  medianVasReductionPct: number | null;
}

export interface OutcomeReportRows {
  treatedKnees: number;
  groups: OutcomeGroupRow[];
  medianMonthsToBooster: number | null;
}

/**
 * The treated knees of a period: a knee is (donor, side) and counts in the period its first injection fell
 * in. Each is placed by the latest Kellgren-Lawrence grade before that injection and by the cells it gave.
 */
const COHORT = `
  adm AS (
    SELECT d.id AS dose_id, b.donor_id, b.clinic_id, d.kind, d.cells, d.administered_at,
           CASE d.site WHEN 'LEFT_KNEE' THEN 'LEFT' ELSE 'RIGHT' END AS knee
      FROM doses d JOIN batches b ON b.id = d.batch_id
     WHERE d.status = 'ADMINISTERED' AND d.site IS NOT NULL AND ($3::uuid IS NULL OR b.clinic_id = $3)
  ),
  first_injection AS (
    SELECT DISTINCT ON (donor_id, knee) donor_id, knee, cells, administered_at AS first_at
      FROM adm ORDER BY donor_id, knee, administered_at, dose_id
  ),
  cohort AS (
    SELECT f.*,
           (SELECT k.kellgren_lawrence FROM knee_assessments k
             WHERE k.donor_id = f.donor_id AND k.knee = f.knee AND k.assessed_at <= f.first_at
             ORDER BY k.assessed_at DESC, k.recorded_at DESC LIMIT 1) AS kl
      FROM first_injection f WHERE f.first_at >= $1 AND f.first_at < $2
  )`;

/**
 * Each follow-up of a cohort knee, judged as src/outcomes/domain does: against the knee's latest baseline
 * before its dose, counted for the nearest of 3, 6, 12, 24 months (the earlier on a tie) after that dose in
 * the facility's calendar ($4), and beyond the 24-month window (+30 days) for the months rounded.
 */
const FOLLOW_UPS = `
  judged AS (
    SELECT c.donor_id, c.knee, o.assessed_at, o.vas_pain, bl.vas_pain AS baseline_vas,
           a.administered_at AT TIME ZONE $4 AS given_local, o.assessed_at AT TIME ZONE $4 AS seen_local,
           o.assessed_at >= ((a.administered_at AT TIME ZONE $4) + interval '24 months') AT TIME ZONE $4
                            + interval '30 days' AS beyond
      FROM cohort c
      JOIN outcome_assessments o ON o.donor_id = c.donor_id AND o.knee = c.knee AND o.kind = 'FOLLOW_UP'
      JOIN adm a ON a.dose_id = o.dose_id
      JOIN LATERAL (SELECT b.vas_pain FROM outcome_assessments b
                     WHERE b.donor_id = o.donor_id AND b.knee = o.knee AND b.kind = 'BASELINE'
                       AND b.assessed_at < a.administered_at
                     ORDER BY b.assessed_at DESC, b.recorded_at DESC LIMIT 1) bl ON true
  ),
  whole AS (
    SELECT j.*, (extract(year FROM age(seen_local, given_local)) * 12
                 + extract(month FROM age(seen_local, given_local)))::int AS w FROM judged j
  ),
  elapsed AS (
    SELECT w2.*, w2.w + extract(epoch FROM seen_local - (given_local + make_interval(months => w2.w)))
                 / extract(epoch FROM (given_local + make_interval(months => w2.w + 1))
                                      - (given_local + make_interval(months => w2.w))) AS months
      FROM whole w2
  ),
  scored AS (
    SELECT e.donor_id, e.knee, e.assessed_at,
           CASE WHEN e.beyond THEN round(e.months)::int
                ELSE (SELECT m FROM unnest(ARRAY[3, 6, 12, 24]) m ORDER BY abs(e.months - m), m LIMIT 1) END
             AS month,
           CASE WHEN e.baseline_vas > 0 THEN (e.baseline_vas - e.vas_pain) * 100.0 / e.baseline_vas END
             AS reduction_pct,
           (e.baseline_vas - e.vas_pain >= 20 AND (e.baseline_vas - e.vas_pain) * 100 >= 50 * e.baseline_vas)
             AS responder
      FROM elapsed e
  )`;

const GROUPS = `
  by_month AS (
    SELECT DISTINCT ON (donor_id, knee, month) * FROM scored WHERE month IN (3, 6, 12, 24)
     ORDER BY donor_id, knee, month, assessed_at DESC
  ),
  latest AS (
    SELECT DISTINCT ON (donor_id, knee) * FROM scored ORDER BY donor_id, knee, assessed_at DESC
  ),
  per_knee AS (
    SELECT c.donor_id, c.knee, c.kl,
           CASE WHEN c.cells < 100000000 THEN '<100M' WHEN c.cells <= 200000000 THEN '100-200M' ELSE '>200M' END
             AS cells_group,
           l.responder, l.reduction_pct, l.donor_id IS NOT NULL AS assessed
      FROM cohort c LEFT JOIN latest l ON l.donor_id = c.donor_id AND l.knee = c.knee
  )`;

@Injectable()
export class OutcomeReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(from: Date, to: Date, clinicId: string | null, timeZone: string): Promise<OutcomeReportRows> {
    const params = [from, to, clinicId, timeZone];
    const groups = await this.db.query<OutcomeGroupRow[]>(
      `WITH ${COHORT}, ${FOLLOW_UPS}, ${GROUPS}
       SELECT 'MONTH' AS dimension, month::text AS "groupKey", count(*)::int AS knees, count(*)::int AS assessed,
              count(*) FILTER (WHERE responder)::int AS responders,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY reduction_pct) AS "medianVasReductionPct"
         FROM by_month GROUP BY month
       UNION ALL
       SELECT 'KL', kl::text, count(*)::int, count(*) FILTER (WHERE assessed)::int,
              count(*) FILTER (WHERE responder)::int,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY reduction_pct)
         FROM per_knee WHERE kl IS NOT NULL GROUP BY kl
       UNION ALL
       SELECT 'CELLS', cells_group, count(*)::int, count(*) FILTER (WHERE assessed)::int,
              count(*) FILTER (WHERE responder)::int,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY reduction_pct)
         FROM per_knee GROUP BY cells_group`,
      params,
    );
    const [totals] = await this.db.query<{ treatedKnees: number; medianMonthsToBooster: number | null }[]>(
      `WITH ${COHORT},
       boosted AS (
         SELECT c.donor_id, c.knee,
                (SELECT min(a.administered_at) FROM adm a
                  WHERE a.donor_id = c.donor_id AND a.knee = c.knee AND a.kind = 'BOOSTER'
                    AND a.administered_at > c.first_at) - c.first_at AS wait
           FROM cohort c
       )
       SELECT count(*)::int AS "treatedKnees",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM wait) / (86400 * 30.436875))
                FILTER (WHERE wait IS NOT NULL) AS "medianMonthsToBooster"
         FROM boosted`,
      params.slice(0, 3),
    );
    return { treatedKnees: totals.treatedKnees, groups, medianMonthsToBooster: totals.medianMonthsToBooster };
  }
}
