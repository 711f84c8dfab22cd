import { percentiles } from '../lib/load';
import { Figure, round } from '../lib/report';
import { judged, ScenarioContext } from './context';

/** Not a number of docs/operations.md: a list screen should answer as fast as the recall list does. */
const TARGET_MS = 100;

/**
 * `GET /batches?readyForInjection=true`: the clinic's cue to book the patient's second visit, and QA's view
 * of every clinic's. Few batches are ready at any time whatever the history, so the list must cost what is
 * ready, not what exists (see migrations/1764000040000-perf-ready-for-injection-list.ts). The doctor is of a
 * clinic with few or no ready batches: the case that used to read the clinic's whole history.
 */
export async function measureReadyLists(context: ScenarioContext, doctorToken: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [who, token] of [
    ["a clinic's doctor", doctorToken],
    ['QA, all clinics', context.tokens.qa],
  ] as const) {
    context.rss.enter(`ready list: ${who}`);
    const path = '/api/v1/batches?readyForInjection=true&limit=50';
    const first = await context.api.expect<{ items: unknown[] }>(200, 'GET', path, { token });
    const times: number[] = [];
    for (let request = 0; request < context.config.recallRequests; request++) {
      times.push((await context.api.expect(200, 'GET', path, { token })).ms);
    }
    const { p50, p99 } = percentiles(times);
    figures.push({
      scenario: `Ready-for-injection list, ${who} (${first.body.items.length} ready)`,
      measured: `p50 ${round(p50, 1)} ms, p99 ${round(p99, 1)} ms`,
      target: `p99 < ${TARGET_MS} ms (not in docs/operations.md)`,
      value: p99,
      unit: 'ms',
      pass: judged(context, p99 < TARGET_MS),
      details: { requests: times.length, p50, p99, ready: first.body.items.length },
    });
  }
  return figures;
}
