import { PgbenchRun, runPgbench } from '../baseline/pgbench';
import { queryRows } from '../lib/database';
import { Figure, round } from '../lib/report';
import { loadCellCounts } from './cell-count';
import { judged, ScenarioContext } from './context';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;

/**
 * docs/operations.md, "Performance targets": logging a cell count over HTTP reaches at least half of what pgbench reaches with the same SQL
 * on the same machine, and answers within 20 ms (p99) at half of pgbench's rate. pgbench runs before and after
 * the API's own load and the baseline is their mean, so a machine that gets busier or quieter during the run
 * moves both sides alike. pgbench with prepared statements runs last, for information: it is what the
 * database could do if the driver named its statements.
 */
export async function measureCellCountScenarios(context: ScenarioContext): Promise<Figure[]> {
  const { config } = context;
  const [technician] = await queryRows<{ id: string }>(
    context.databaseUrl,
    `SELECT id FROM users WHERE email = 'bench-technician@cpc.bench'`,
  );
  const pgbench = (mode: PgbenchRun['mode']): Promise<PgbenchRun> =>
    runPgbench({
      databaseUrl: context.databaseUrl,
      clients: config.writeClients,
      seconds: config.loadSeconds,
      mode,
      technicianId: technician.id,
      activeBatches: config.scale.active,
      appRole: process.env.DATABASE_APP_ROLE || 'cpc_app',
    });

  context.rss.enter('cell count: app idle during pgbench');
  const before = await pgbench('extended');
  context.rss.enter('cell count: 8 clients');
  await loadCellCounts(context, { seconds: config.warmupSeconds });
  const full = await loadCellCounts(context, { seconds: config.loadSeconds });
  context.rss.enter('cell count: app idle during pgbench');
  const after = await pgbench('extended');
  const baseline = (before.tps + after.tps) / 2;
  const rate = Math.max(1, Math.round(baseline / 2));
  context.rss.enter('cell count: half pgbench rate');
  const paced = await loadCellCounts(context, { seconds: config.loadSeconds, overallRate: rate });
  context.rss.enter('cell count: app idle during pgbench');
  const prepared = await pgbench('prepared');

  const ratio = full.rps / baseline;
  return [
    {
      scenario: `pgbench, the cell-count SQL, ${config.writeClients} clients (baseline)`,
      measured: `${round(baseline)} tps (before ${round(before.tps)}, after ${round(after.tps)}), latency avg ${round((before.latencyAverageMs + after.latencyAverageMs) / 2, 1)} ms`,
      target: 'baseline',
      value: baseline,
      unit: 'tps',
      pass: null,
      details: { before, after },
    },
    {
      scenario: `Cell count over HTTP, ${config.writeClients} clients`,
      measured:
        `${round(full.rps)} req/s = ${round(ratio, 2)} x pgbench; p50 ${round(full.p50Ms, 1)} ms, p99 ${round(full.p99Ms, 1)} ms; ` +
        `app CPU ${round(full.appCpuMsPerRequest, 2)} ms/request`,
      target: `>= ${TARGET_RATIO} x pgbench`,
      value: ratio,
      unit: 'x',
      pass: judged(context, ratio >= TARGET_RATIO),
      details: { ...full },
    },
    {
      scenario: `Cell count at half pgbench's rate (${rate} req/s)`,
      measured: `p99 ${round(paced.p99Ms, 1)} ms, p50 ${round(paced.p50Ms, 1)} ms (served ${round(paced.rps)} req/s)`,
      target: `p99 < ${TARGET_P99_MS} ms`,
      value: paced.p99Ms,
      unit: 'ms',
      pass: judged(context, paced.p99Ms < TARGET_P99_MS && paced.rps >= rate * 0.95),
      details: { ...paced, rate },
    },
    {
      scenario: 'pgbench, same SQL as prepared statements (information)',
      measured: `${round(prepared.tps)} tps = ${round(prepared.tps / baseline, 2)} x the baseline`,
      target: '-',
      value: prepared.tps,
      unit: 'tps',
      pass: null,
      details: { ...prepared },
    },
  ];
}
