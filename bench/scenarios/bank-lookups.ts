import { queryRows } from '../lib/database';
import { LoadSummary, runLoad } from '../lib/load';
import { Figure, round } from '../lib/report';
import { judged, ScenarioContext } from './context';

const TARGET_P99_MS = 10;

interface Lookup {
  scenario: string;
  /** Samples of what to look up, read from the database before the load. */
  samples: (databaseUrl: string) => Promise<string[]>;
  path: (sample: string) => string;
  token: (context: ScenarioContext) => string;
}

/**
 * docs/operations.md, "Performance targets": the look-ups a technician or QA makes at the tank, each on its own for a while, one
 * request at a time (a look-up's latency is the figure, not how many a saturated server answers), over a
 * random sample of the million vials, ten thousand boxes and two hundred thousand banking donors.
 */
const LOOKUPS: Lookup[] = [
  {
    scenario: 'Vial by label',
    samples: async (url) =>
      (await queryRows<{ label: string }>(url, 'SELECT label FROM vials ORDER BY random() LIMIT 5000')).map(
        (row) => row.label,
      ),
    path: (label) => `/api/v1/vials/by-label/${encodeURIComponent(label)}`,
    token: (context) => context.tokens.technician,
  },
  {
    scenario: 'Free positions in a box',
    samples: async (url) =>
      (
        await queryRows<{ id: string }>(
          url,
          `SELECT id FROM storage_units WHERE kind = 'BOX' AND NOT biohazard ORDER BY random() LIMIT 2000`,
        )
      ).map((row) => row.id),
    path: (boxId) => `/api/v1/storage-units/${boxId}/free-positions?count=10`,
    token: (context) => context.tokens.technician,
  },
  {
    scenario: "A donor's inventory",
    samples: async (url) =>
      (
        await queryRows<{ id: string }>(
          url,
          `SELECT DISTINCT donor_id AS id FROM (SELECT donor_id FROM vials WHERE status = 'STORED' ORDER BY random() LIMIT 5000) v`,
        )
      ).map((row) => row.id),
    path: (donorId) => `/api/v1/bank/inventory?donorId=${donorId}`,
    token: (context) => context.tokens.qa,
  },
];

export async function measureBankLookups(context: ScenarioContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const lookup of LOOKUPS) {
    context.rss.enter(`bank: ${lookup.scenario}`);
    try {
      figures.push(await measureLookup(context, lookup));
    } catch (error) {
      figures.push({
        scenario: lookup.scenario,
        measured: '',
        target: `p99 < ${TARGET_P99_MS} ms`,
        value: null,
        unit: 'ms',
        pass: null,
        error: (error as Error).message,
      });
    }
  }
  return figures;
}

async function measureLookup(context: ScenarioContext, lookup: Lookup): Promise<Figure> {
  const samples = await lookup.samples(context.databaseUrl);
  if (samples.length === 0) throw new Error('nothing to look up: the bank was not generated');
  const token = lookup.token(context);
  // A real record must answer 200 before its load means anything (a 404 here is a missing route).
  await context.api.expect(200, 'GET', lookup.path(samples[0]), { token });
  const load = (seconds: number): Promise<LoadSummary> =>
    runLoad({
      url: context.app.baseUrl,
      connections: 1,
      seconds,
      next: () => ({
        method: 'GET',
        path: lookup.path(samples[Math.floor(Math.random() * samples.length)]),
        headers: { authorization: `Bearer ${token}` },
      }),
    });
  await load(context.config.warmupSeconds);
  const summary = await load(context.config.lookupSeconds);
  if (summary.failures > 0) {
    throw new Error(
      `${summary.failures} of ${summary.requests} look-ups failed (${JSON.stringify(summary.statusCodes)})`,
    );
  }
  return {
    scenario: lookup.scenario,
    measured: `p50 ${round(summary.p50Ms, 1)} ms, p99 ${round(summary.p99Ms, 1)} ms (${round(summary.rps)} req/s, 1 client)`,
    target: `p99 < ${TARGET_P99_MS} ms`,
    value: summary.p99Ms,
    unit: 'ms',
    pass: judged(context, summary.p99Ms < TARGET_P99_MS),
    details: { ...summary },
  };
}
