/**
 * `npm run bench` (full: ten years of data, the targets of docs/operations.md judged) and `npm run bench -- --quick` (CI:
 * small data, seconds, every scenario must run; nothing is judged). See bench/README.md for how to read it.
 *
 * Everything runs on this machine against 127.0.0.1: a database of its own (dropped at the end, also on
 * failure and ctrl-c), the built app started as production starts it, pgbench as the baseline.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '../src/database/migrate';
import { runningPgbench } from './baseline/pgbench';
import { BenchConfig, configFrom } from './config';
import { ApiClient } from './lib/api-client';
import { AppProcess } from './lib/app-process';
import { createDatabase, databaseUrl, dropDatabase, freshDatabaseName, queryRows } from './lib/database';
import { BENCH_PASSWORD, generate, GeneratedData } from './lib/generate';
import { memoryBreakdown, MemoryBreakdown } from './lib/memory-breakdown';
import { dropQueueKeys } from './lib/queue-keys';
import { describeMachine, Figure, renderTable, round, writeResults } from './lib/report';
import { RssSampler } from './lib/rss-sampler';
import { measureCellCountScenarios } from './scenarios/cell-count-scenarios';
import { measureExport, measureVerify } from './scenarios/audit-trail';
import { measureBankLookups } from './scenarios/bank-lookups';
import { measureBatchRecord } from './scenarios/batch-record';
import { measureColdChain } from './scenarios/cold-chain';
import { measureReadyLists } from './scenarios/batch-lists';
import { judged, median, ScenarioContext } from './scenarios/context';
import { measurePeriodicReports } from './scenarios/periodic-report';
import { measureRecallLists } from './scenarios/recall-list';
import { timeSweeps } from './scenarios/readiness-sweep';
import { checkSqlFidelity } from './scenarios/sql-fidelity';

const GENERATION_TARGET_SECONDS = 60;
const RSS_TARGET_MIB = 250;

/** Undone in reverse order at the end, on failure and on ctrl-c: nothing the run made outlives it. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | null = null;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of runningPgbench) child.kill('SIGKILL');
    while (cleanups.length) {
      try {
        await cleanups.pop()?.();
      } catch (error) {
        console.error(`clean-up: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const config = configFrom(process.argv.slice(2));
  const machine = describeMachine();
  const runId = randomBytes(4).toString('hex');
  const queuePrefix = `cpcbench-${runId}`;
  cleanups.push(() => dropQueueKeys(queuePrefix));
  const figures: Figure[] = [];
  const report: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    quick: config.quick,
    machine,
    config,
  };
  machine.postgres = (
    await queryRows<{ server_version: string }>(databaseUrl('postgres'), 'SHOW server_version')
  )[0]?.server_version;
  console.log(
    `CPC Tracker benchmarks (${config.quick ? 'quick: small data, nothing judged' : 'full'}) on ${machine.cpus} x ${machine.cpuModel}, load ${machine.loadAverageAtStart.join(' ')}`,
  );

  const selected = (scenario: string): boolean =>
    !config.only || scenario.toLowerCase().includes(config.only);
  const small = selected('Readiness sweep') ? await sweepOverActiveSetAlone(config, queuePrefix) : [];
  report.smallSweep = small;

  console.log(
    `\n== ten years of data: ${config.scale.historical.toLocaleString('en')} finished batches + ${config.scale.active.toLocaleString('en')} active, ${config.scale.historical.toLocaleString('en')} vials, ${config.scale.auditEntries.toLocaleString('en')} audit entries`,
  );
  const name = freshDatabaseName('full');
  const url = databaseUrl(name);
  await createDatabase(name);
  cleanups.push(() => dropDatabase(name));
  await runMigrations(url);
  const data = await generate(url, config, true);
  report.generation = data;
  figures.push(generationFigure(config, data));

  const probeFile = join(tmpdir(), `cpc-bench-probe-${runId}`);
  cleanups.push(async () =>
    ['', '.out', '.tmp'].forEach((suffix) => rmSync(`${probeFile}${suffix}`, { force: true })),
  );
  const app = await AppProcess.start({ databaseUrl: url, queuePrefix, probeFile });
  cleanups.push(() => app.stop());
  const rss = new RssSampler(() => app.rssMiB());
  rss.start();
  cleanups.push(async () => rss.stop());
  const api = new ApiClient(app.baseUrl);
  const context: ScenarioContext = {
    config,
    api,
    app,
    databaseUrl: url,
    tokens: {
      admin: await api.login('bench-admin@cpc.bench', BENCH_PASSWORD),
      technician: await api.login('bench-technician@cpc.bench', BENCH_PASSWORD),
      qa: await api.login('bench-qa@cpc.bench', BENCH_PASSWORD),
    },
    rss,
    judge: !config.quick,
  };

  // Where the memory is after each scenario (heap or outside it), for the resident-memory row.
  const memoryAfter: Record<string, MemoryBreakdown> = {};
  const attempt = async (
    scenario: string,
    target: string,
    work: () => Promise<Figure | Figure[]>,
  ): Promise<void> => {
    if (!selected(scenario)) return;
    console.log(`\n-- ${scenario}`);
    try {
      const result = await work();
      for (const figure of Array.isArray(result) ? result : [result]) {
        figures.push(figure);
        console.log(`   ${figure.scenario}: ${figure.error ? `error: ${figure.error}` : figure.measured}`);
      }
    } catch (error) {
      const message = (error as Error).message;
      console.log(`   error: ${message}`);
      if (!app.alive()) console.log(`   the app has exited; its last words:\n${app.tail()}`);
      figures.push({
        scenario,
        measured: '',
        target,
        value: null,
        unit: '',
        pass: null,
        error: message.split('\n')[0],
      });
    }
    if (app.alive())
      memoryAfter[scenario] = await memoryBreakdown(api).catch(() => ({
        rss: null,
        heapTotal: null,
        heapUsed: null,
        external: null,
      }));
  };

  await attempt('Readiness sweep, 1M history vs active alone', '<= 2 x active alone', async () => {
    rss.enter('readiness sweep');
    const large = await timeSweeps(api, context.tokens.admin, config.sweepRuns);
    const largeMs = median(large.map((run) => run.workerMs));
    const smallMs = median(small.map((run) => run.workerMs));
    const ratio = largeMs / Math.max(smallMs, 1);
    return {
      scenario: `Readiness sweep, ${config.scale.historical.toLocaleString('en')} history + ${config.scale.active.toLocaleString('en')} active`,
      measured: `${round(largeMs)} ms vs ${round(smallMs)} ms with the active set alone = ${round(ratio, 2)} x`,
      target: '<= 2 x active alone',
      value: ratio,
      unit: 'x',
      pass: judged(context, ratio <= 2),
      details: { large, small },
    };
  });
  await attempt("pgbench script = the API's SQL", 'same statements', () => checkSqlFidelity(context));
  await attempt('Cell count', '>= 0.5 x pgbench', () => measureCellCountScenarios(context));
  await attempt('Bank look-ups', 'p99 < 10 ms', () => measureBankLookups(context));
  await attempt('Recall list', 'p99 < 100 ms', () => measureRecallLists(context));
  await attempt('Ready-for-injection list', 'p99 < 100 ms', async () =>
    // Clinic 0 has no released batch in shelf life (data/20-active.sql: clinic = n % clinics, released n % 10 in 6..7).
    measureReadyLists(context, await api.login('bench-doctor-0@cpc.bench', BENCH_PASSWORD)),
  );
  await attempt('Cold chain', '< 2 s; p99 < 200 ms', () => measureColdChain(context));
  await attempt('Batch record PDF', 'p99 < 500 ms', () => measureBatchRecord(context));
  await attempt('Periodic report', '< 2 s', () => measurePeriodicReports(context));
  await attempt('Audit verify', '>= 100,000 entries/s', () => measureVerify(context));
  await attempt('Audit export', 'constant memory', () => measureExport(context));

  rss.stop();
  const peaks = rss.phasePeaks();
  delete peaks.idle;
  const peak = Math.max(0, ...Object.values(peaks));
  figures.push({
    scenario: 'API resident memory under the loads above',
    measured: `peak ${round(peak)} MiB (during ${Object.entries(peaks).find(([, mib]) => mib === peak)?.[0] ?? '-'})`,
    target: `< ${RSS_TARGET_MIB} MiB`,
    value: peak,
    unit: 'MiB',
    pass: judged(context, peak < RSS_TARGET_MIB),
    details: { peaks, memoryAfter },
  });

  machine.loadAverageAtEnd = loadavg().map((load) => round(load, 2));
  report.figures = figures;
  report.table = renderTable(figures);
  report.finishedAt = new Date().toISOString();
  console.log(`\n${renderTable(figures)}\n`);
  console.log(
    `machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, load ${machine.loadAverageAtStart.join(' ')} -> ${machine.loadAverageAtEnd.join(' ')}; PostgreSQL ${machine.postgres}, Node ${machine.node}`,
  );
  console.log(`results: ${writeResults(report)}`);
  const errors = figures.filter((figure) => figure.error).length;
  if (errors) console.error(`${errors} scenario(s) failed to run`);
  return errors ? 1 : 0;
}

/** The readiness sweep's reference: the same active set with no history, in a database of its own. */
async function sweepOverActiveSetAlone(config: BenchConfig, queuePrefix: string) {
  console.log(
    `\n== the readiness sweep over ${config.scale.active.toLocaleString('en')} active batches alone`,
  );
  const name = freshDatabaseName('small');
  const url = databaseUrl(name);
  await createDatabase(name);
  cleanups.push(() => dropDatabase(name));
  await runMigrations(url);
  await generate(url, config, false);
  const app = await AppProcess.start({
    databaseUrl: url,
    queuePrefix: `${queuePrefix}-small`,
    probeFile: '',
  });
  cleanups.push(() => dropQueueKeys(`${queuePrefix}-small`));
  cleanups.push(() => app.stop());
  const api = new ApiClient(app.baseUrl);
  const timings = await timeSweeps(
    api,
    await api.login('bench-admin@cpc.bench', BENCH_PASSWORD),
    config.sweepRuns,
  );
  console.log(`   ${timings.map((run) => `${run.workerMs} ms`).join(', ')}`);
  await app.stop();
  await dropDatabase(name);
  return timings;
}

function generationFigure(config: BenchConfig, data: GeneratedData): Figure {
  return {
    scenario: 'Data generation (SQL, generate_series)',
    measured: `${round(data.seconds)} s for ${Object.entries(data.rows)
      .map(([table, rows]) => `${rows.toLocaleString('en')} ${table}`)
      .join(', ')}`,
    target: `<= ${GENERATION_TARGET_SECONDS} s`,
    value: data.seconds,
    unit: 's',
    pass: config.quick ? null : data.seconds <= GENERATION_TARGET_SECONDS,
    details: { timings: data.timings },
  };
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await cleanUp();
    process.exit(1);
  });
