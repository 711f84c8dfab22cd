import { queryRows } from '../lib/database';
import { percentiles } from '../lib/load';
import { Figure, round } from '../lib/report';
import { judged, ScenarioContext } from './context';

const TARGET_MS = 100;

/**
 * GET /api/v1/material-lots/:id/usage, the recall list's first page (50 batches, the default), for the lot
 * used by the most batches (a medium lot: 20,000 batches with their doses) and for a typical collagenase lot
 * (500). Requests go one after another and each is timed to its last byte: the figure is how long QA waits
 * for the first screen of the list.
 */
export async function measureRecallLists(context: ScenarioContext): Promise<Figure[]> {
  const lots = await queryRows<{ id: string; kind: string; batches: number }>(
    context.databaseUrl,
    `SELECT DISTINCT ON (l.kind) l.id, l.kind, count(*)::int AS batches
       FROM material_lots l JOIN material_usages u ON u.lot_id = l.id
      GROUP BY l.id, l.kind
      ORDER BY l.kind, count(*) DESC`,
  );
  if (lots.length === 0) throw new Error('no material lot has usages: the history was not generated');
  const figures: Figure[] = [];
  for (const lot of lots) {
    context.rss.enter(`recall: ${lot.kind}`);
    const path = `/api/v1/material-lots/${lot.id}/usage`;
    await context.api.expect(200, 'GET', path, { token: context.tokens.qa });
    const times: number[] = [];
    for (let request = 0; request < context.config.recallRequests; request++) {
      times.push((await context.api.expect(200, 'GET', path, { token: context.tokens.qa })).ms);
    }
    const { p50, p99 } = percentiles(times);
    figures.push({
      scenario: `Recall list, first page, ${lot.kind.toLowerCase()} lot (${lot.batches} batches)`,
      measured: `p50 ${round(p50, 1)} ms, p99 ${round(p99, 1)} ms`,
      target: `p99 < ${TARGET_MS} ms`,
      value: p99,
      unit: 'ms',
      pass: judged(context, p99 < TARGET_MS),
      details: { lotId: lot.id, batches: lot.batches, requests: times.length, p50, p99 },
    });
  }
  return figures;
}
