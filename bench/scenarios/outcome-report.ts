import { queryRows } from '../lib/database';
import { percentiles } from '../lib/load';
import { Figure, round } from '../lib/report';
import { judged, ScenarioContext } from './context';

const TARGET_MS = 1_000;

/**
 * The outcome report of one clinic for one year of first injections (docs/outcomes.md, "The report"), over
 * the ten years of outcomes in data/80-outcomes.sql: one request at a time, as the clinic's doctor, after a
 * warm-up; the figure is the slowest of them.
 */
export async function measureOutcomeReport(context: ScenarioContext, doctorToken: string): Promise<Figure> {
  context.rss.enter('outcome report');
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear() - 4, 0, 1)).toISOString();
  const to = new Date(Date.UTC(now.getUTCFullYear() - 3, 0, 1)).toISOString();
  const path = `/api/v1/reports/outcomes?from=${from}&to=${to}`;
  const requests = context.config.quick ? 3 : 10;
  const first = await context.api.expect<{ treatedKnees: number }>(200, 'GET', path, { token: doctorToken });
  const timings: number[] = [];
  for (let i = 0; i < requests; i++) {
    timings.push((await context.api.expect(200, 'GET', path, { token: doctorToken })).ms);
  }
  const { p50, max } = percentiles(timings);
  const [stored] = await queryRows<{ n: number }>(
    context.databaseUrl,
    'SELECT count(*)::int AS n FROM outcome_assessments',
  );
  return {
    scenario: "A clinic's outcome report for a year (ten years of outcomes)",
    measured:
      `p50 ${round(p50)} ms, max ${round(max)} ms; ${first.body.treatedKnees.toLocaleString('en')} knees in the ` +
      `year, ${stored.n.toLocaleString('en')} assessments stored`,
    target: `< ${TARGET_MS} ms`,
    value: max,
    unit: 'ms',
    pass: judged(context, max < TARGET_MS),
    details: { timings, treatedKnees: first.body.treatedKnees, assessmentsStored: stored.n },
  };
}
