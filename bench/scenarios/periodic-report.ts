import { queryRows, withClient } from '../lib/database';
import { Figure, round } from '../lib/report';
import { PERIODIC_COUNTS_SQL } from '../../src/read-model/periodic-report.sql';
import { judged, median, ScenarioContext } from './context';

const TARGET_MS = 2000;
const RUNS = 5;

/**
 * `GET /reports/periodic` for the last full year of history (a year out of ten) for the whole facility and for
 * one clinic, timed to the last byte, median of 5 after a warm-up. The baseline is the same statement run
 * straight on PostgreSQL (src/read-model/periodic-report.sql.ts): the ratio is what the app adds to the SQL.
 * The PDF (`GET /reports/periodic.pdf`) is the same figures printed, timed the same way against the same target.
 */
export async function measurePeriodicReports(context: ScenarioContext): Promise<Figure[]> {
  const [{ clinicId }] = await queryRows<{ clinicId: string }>(
    context.databaseUrl,
    'SELECT id AS "clinicId" FROM clinics ORDER BY code LIMIT 1',
  );
  const to = new Date(Date.now() - 365 * 24 * 3600 * 1000);
  const from = new Date(to.getTime() - 365 * 24 * 3600 * 1000);
  const figures: Figure[] = [];
  for (const [who, clinic] of [
    ['the facility', null],
    ['one clinic', clinicId],
  ] as const) {
    context.rss.enter(`periodic report: ${who}`);
    const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    if (clinic) query.set('clinicId', clinic);
    const path = `/api/v1/reports/periodic?${query.toString()}`;
    const first = await context.api.expect<{ batches: { started: number } }>(200, 'GET', path, {
      token: context.tokens.qa,
    });
    const http = await timed(context, path);
    const pdfPath = path.replace('/periodic?', '/periodic.pdf?');
    await context.api.expect(200, 'GET', pdfPath, { token: context.tokens.qa });
    const pdf = await timed(context, pdfPath);
    // One connection for the baseline's runs, as the app's pool keeps its connections open.
    const sql = await withClient(context.databaseUrl, async (client) => {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        await client.query(PERIODIC_COUNTS_SQL, [from, to, clinic]);
        times.push(performance.now() - started);
      }
      return times;
    });
    const httpMs = median(http);
    const sqlMs = median(sql);
    figures.push({
      scenario: `Periodic report, a year of ten, ${who} (${first.body.batches.started.toLocaleString('en')} batches started)`,
      measured: `${round(httpMs)} ms vs ${round(sqlMs)} ms for its SQL alone = ${round(httpMs / Math.max(sqlMs, 1), 2)} x`,
      target: `< ${TARGET_MS} ms`,
      value: httpMs,
      unit: 'ms',
      pass: judged(context, httpMs < TARGET_MS),
      details: { from, to, clinicId: clinic, http, sql },
    });
    const pdfMs = median(pdf);
    figures.push({
      scenario: `Periodic report as PDF, a year of ten, ${who}`,
      measured: `${round(pdfMs)} ms (JSON: ${round(httpMs)} ms)`,
      target: `< ${TARGET_MS} ms`,
      value: pdfMs,
      unit: 'ms',
      pass: judged(context, pdfMs < TARGET_MS),
      details: { from, to, clinicId: clinic, pdf },
    });
  }
  return figures;
}

/** RUNS sequential requests as QA, each timed to the last byte. */
async function timed(context: ScenarioContext, path: string): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    times.push((await context.api.expect(200, 'GET', path, { token: context.tokens.qa })).ms);
  }
  return times;
}
