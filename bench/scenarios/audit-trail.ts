import { queryRows } from '../lib/database';
import { Figure, round } from '../lib/report';
import { judged, median, ScenarioContext } from './context';

const TARGET_ENTRIES_PER_SECOND = 100_000;
/** "Constant memory": what the app holds may not grow by more than this from a tenth to nine tenths of the trail. */
const EXPORT_GROWTH_LIMIT_MIB = 16;

interface Verification {
  ok: boolean;
  checked: number;
  firstBadLeafIndex: number | null;
}

/** How long the sequencer may take to integrate the generated trail before verify is measured. */
const INTEGRATION_WAIT_MS = 600_000;

/**
 * Waits until the signed head covers every entry (the generator writes the trail in bulk; the sequencer
 * integrates it after the load, as it would entries the application wrote) and returns how long it took.
 */
async function untilIntegrated(context: ScenarioContext): Promise<number> {
  const [{ total }] = await queryRows<{ total: number }>(
    context.databaseUrl,
    'SELECT count(*)::int AS total FROM audit_entries',
  );
  const started = performance.now();
  for (;;) {
    // 404 until the sequencer signs its first head.
    const head = await context.api.request<{ treeSize?: number }>('GET', '/api/v1/audit/head', {
      token: context.tokens.admin,
    });
    const size = head.status === 200 ? (head.body.treeSize ?? 0) : 0;
    if (size >= total) return performance.now() - started;
    if (performance.now() - started > INTEGRATION_WAIT_MS)
      throw new Error(`the sequencer integrated only ${size} of ${total} entries in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * GET /api/v1/audit/verify over the whole trail (the generated ten years plus what the loads appended).
 * The ledger must verify (a bad leaf is an error of the generator or the app, not a slow figure).
 */
export async function measureVerify(context: ScenarioContext): Promise<Figure> {
  context.rss.enter('audit verify');
  const integrationMs = await untilIntegrated(context);
  const runs = context.config.quick ? 1 : 3;
  const rates: number[] = [];
  let checked = 0;
  for (let run = 0; run < runs; run++) {
    const response = await context.api.expect<Verification>(200, 'GET', '/api/v1/audit/verify', {
      token: context.tokens.admin,
    });
    if (!response.body.ok)
      throw new Error(`the ledger does not verify: first bad leaf ${response.body.firstBadLeafIndex}`);
    checked = response.body.checked;
    rates.push(checked / (response.ms / 1000));
  }
  const rate = median(rates);
  return {
    scenario: `Audit verify (${checked.toLocaleString('en')} entries)`,
    measured: `${round(rate).toLocaleString('en')} entries/s (median of ${runs}: ${rates.map((r) => round(r).toLocaleString('en')).join(', ')})`,
    target: `>= ${TARGET_ENTRIES_PER_SECOND.toLocaleString('en')} entries/s`,
    value: rate,
    unit: 'entries/s',
    pass: judged(context, rate >= TARGET_ENTRIES_PER_SECOND),
    details: { checked, rates, integrationMs: round(integrationMs) },
  };
}

/**
 * GET /api/v1/audit/export, read as fast as the harness can. Constant memory means what the app holds does
 * not grow with what it has streamed: at a tenth and at nine tenths of the trail the harness has the app
 * collect its garbage (lib/app-probe.ts) and compares the live heap plus off-heap buffers. RSS, sampled every
 * 100 ms, is reported too, but alone it cannot tell retention from the garbage V8 leaves while its heap limit
 * is far away.
 */
export async function measureExport(context: ScenarioContext): Promise<Figure> {
  context.rss.enter('audit export');
  const [{ total }] = await queryRows<{ total: number }>(
    context.databaseUrl,
    'SELECT count(*)::int AS total FROM audit_entries',
  );
  const before = context.rss.current() ?? 0;
  const started = performance.now();
  const response = await fetch(`${context.app.baseUrl}/api/v1/audit/export`, {
    headers: { authorization: `Bearer ${context.tokens.admin}` },
    signal: AbortSignal.timeout(900_000),
  });
  if (response.status !== 200 || !response.body) throw new Error(`audit export answered ${response.status}`);
  let bytes = 0;
  let lines = 0;
  const live: { at: number; mib: number }[] = [];
  const checkpoints = [Math.floor(total / 10), Math.floor((total * 9) / 10)];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const byte of value) if (byte === 10) lines += 1;
    if (checkpoints.length && lines >= checkpoints[0]) {
      checkpoints.shift();
      const memory = await context.app.liveMiB();
      live.push({ at: lines, mib: memory.heapUsed + memory.external });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = Math.max(before, ...context.rss.phaseSeries().map((sample) => sample.mib));
  if (live.length < 2) throw new Error(`the export ended after ${lines} of ${total} entries`);
  const growth = live[1].mib - live[0].mib;
  return {
    scenario: `Audit export (${lines.toLocaleString('en')} entries, ${round(bytes / 2 ** 20)} MiB)`,
    measured:
      `${round(lines / seconds).toLocaleString('en')} entries/s; live memory ${round(live[0].mib, 1)} -> ${round(live[1].mib, 1)} MiB ` +
      `from 10 % to 90 %; RSS ${round(before)} -> peak ${round(peak)} MiB`,
    target: `live growth < ${EXPORT_GROWTH_LIMIT_MIB} MiB (constant memory)`,
    value: growth,
    unit: 'MiB',
    pass: judged(context, growth < EXPORT_GROWTH_LIMIT_MIB),
    details: { lines, bytes, seconds, live, rssBeforeMiB: before, rssPeakMiB: peak },
  };
}
