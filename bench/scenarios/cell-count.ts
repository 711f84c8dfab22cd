import { queryRows } from '../lib/database';
import { LoadSummary, runLoad } from '../lib/load';
import { round } from '../lib/report';
import { ScenarioContext } from './context';

/** The batches a count may be logged on (IN_CULTURE): 40 % of the active set (bench/data/20-active.sql). */
export async function inCultureBatchIds(databaseUrl: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    databaseUrl,
    `SELECT id FROM batches WHERE status = 'IN_CULTURE' ORDER BY id`,
  );
  if (rows.length === 0) throw new Error('no batch is IN_CULTURE: the active set was not generated');
  return rows.map((row) => row.id);
}

/** A valid in-passage count, counted now (after the passage's seeding, never ahead of the clock). */
export function cellCountBody(): Record<string, unknown> {
  return {
    countedAt: new Date().toISOString(),
    totalCells: 5_000_000 + Math.floor(Math.random() * 1_000_000),
    viabilityPct: 93.5,
    method: 'hemocytometer',
  };
}

/**
 * POST /api/v1/batches/:id/cell-counts with a technician's token, a random batch in culture and a valid body
 * per request: the guard, validation, the transaction with its audit entry, the answer.
 */
export async function loadCellCounts(
  context: ScenarioContext,
  options: { seconds: number; overallRate?: number },
): Promise<LoadSummary & { appCpuMsPerRequest: number }> {
  const batchIds = await inCultureBatchIds(context.databaseUrl);
  const cpuBefore = context.app.cpuSeconds();
  const headers = {
    authorization: `Bearer ${context.tokens.technician}`,
    'content-type': 'application/json',
  };
  const summary = await runLoad({
    url: context.app.baseUrl,
    connections: context.config.writeClients,
    seconds: options.seconds,
    overallRate: options.overallRate,
    next: () => ({
      method: 'POST',
      path: `/api/v1/batches/${batchIds[Math.floor(Math.random() * batchIds.length)]}/cell-counts`,
      headers,
      body: JSON.stringify(cellCountBody()),
    }),
  });
  const cpu = context.app.cpuSeconds() - cpuBefore;
  if (summary.failures > 0) {
    throw new Error(
      `cell-count load: ${summary.failures} of ${summary.requests} requests failed (${JSON.stringify(summary.statusCodes)})`,
    );
  }
  return { ...summary, appCpuMsPerRequest: (cpu * 1000) / Math.max(summary.requests, 1) };
}

export function describeLoad(summary: LoadSummary): string {
  return `${round(summary.rps)} req/s, p50 ${round(summary.p50Ms, 1)} ms, p99 ${round(summary.p99Ms, 1)} ms`;
}
