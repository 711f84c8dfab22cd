import { queryRows } from '../lib/database';
import { percentiles } from '../lib/load';
import { Figure, round } from '../lib/report';
import { BENCH_PASSWORD } from '../lib/generate';
import { judged, ScenarioContext } from './context';

const TARGET_MS = 500;
const HOUR = 3_600_000;
const SIZE = { passages: 5, countsPerPassage: 10, vials: 200, deviations: 30 } as const;

/**
 * `GET /batches/:id/record.pdf` for a large record, built through the API as people would record it: five
 * passages, 50 counts, 30 deviations (closed), seven QC results, a release, a dose and 200 vials in two
 * boxes. Requests go one after another, each timed to its last byte. The baseline is the same record as JSON
 * (`GET /batches/:id/record`, the same reads and hash): the difference is what drawing the PDF costs.
 */
export async function measureBatchRecord(context: ScenarioContext): Promise<Figure[]> {
  context.rss.enter('batch record: set-up');
  const batchId = await aLargeBatch(context);
  // BENCH_RECORD_REQUESTS: more requests on quick data, for a p99 of this scenario alone in a minute or two.
  const requests = Number(process.env.BENCH_RECORD_REQUESTS) || (context.config.quick ? 5 : 50);
  const timed = async (path: string): Promise<number[]> => {
    await context.api.expect(200, 'GET', path, { token: context.tokens.qa });
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      times.push((await context.api.expect(200, 'GET', path, { token: context.tokens.qa })).ms);
    }
    return times;
  };
  context.rss.enter('batch record: PDF');
  const json = percentiles(await timed(`/api/v1/batches/${batchId}/record`));
  const pdf = percentiles(await timed(`/api/v1/batches/${batchId}/record.pdf`));
  return [
    {
      scenario: 'Batch record PDF (5 passages, 50 counts, 200 vials, 30 deviations)',
      measured:
        `p50 ${round(pdf.p50, 1)} ms, p99 ${round(pdf.p99, 1)} ms ` +
        `vs the record as JSON p50 ${round(json.p50, 1)} ms, p99 ${round(json.p99, 1)} ms`,
      target: `p99 < ${TARGET_MS} ms`,
      value: pdf.p99,
      unit: 'ms',
      pass: judged(context, pdf.p99 < TARGET_MS),
      details: { batchId, requests, pdf, json },
    },
  ];
}

/** The large batch, recorded step by step with back-dated times; answers its id. */
async function aLargeBatch(context: ScenarioContext): Promise<string> {
  const { api, tokens } = context;
  const start = Date.now() - 10 * 24 * HOUR;
  const at = (hours: number): string => new Date(start + hours * HOUR).toISOString();
  const doctor = await api.login('bench-doctor-0@cpc.bench', BENCH_PASSWORD);
  const post = async <T = { id: string }>(
    token: string,
    path: string,
    body: unknown,
    status = 201,
  ): Promise<T> => (await api.expect<T>(status, 'POST', `/api/v1${path}`, { token, body })).body;

  const donor = await post(doctor, '/donors', {
    externalRef: `BENCH-RECORD-${Date.now()}`,
    birthYear: 1962,
    sex: 'F',
    consent: { treatment: true, banking: true, signedAt: at(-24) },
  });
  for (const marker of ['HBV', 'HCV', 'HIV', 'HTLV1', 'SYPHILIS']) {
    await post(doctor, `/donors/${donor.id}/screenings`, { marker, result: 'NEGATIVE', testedAt: at(-23) });
  }
  await syncDinSequences(context);
  const harvest = await post(doctor, '/harvests', {
    donorId: donor.id,
    tissue: 'ADIPOSE',
    volumeMl: 20,
    collectedAt: at(0),
  });
  await post(
    tokens.technician,
    `/harvests/${harvest.id}/receipt`,
    { receivedAt: at(2), temperatureC: 4, intact: true },
    200,
  );
  const batch = await post(tokens.technician, '/batches', {
    harvestId: harvest.id,
    productType: 'CULTURED_ADSC',
    targetCellCount: 100_000_000,
  });
  await cultureSteps(context, batch.id, at, post);
  await closedDeviations(context, batch.id, at, post);
  await releasedWithProducts(context, batch.id, at, post);
  return batch.id;
}

type Post = <T = { id: string }>(token: string, path: string, body: unknown, status?: number) => Promise<T>;
type At = (hours: number) => string;

async function cultureSteps(context: ScenarioContext, batchId: string, at: At, post: Post): Promise<void> {
  const tech = context.tokens.technician;
  await post(tech, `/batches/${batchId}/isolation`, {
    performedAt: at(3),
    cellCount: 100_000,
    viabilityPct: 95,
  });
  let seeded = 100_000;
  for (let p = 1; p <= SIZE.passages; p++) {
    const harvested = seeded * 8;
    const passageAt = p * 36;
    await post(tech, `/batches/${batchId}/passages`, {
      passageNumber: p,
      performedAt: at(passageAt),
      cellsHarvested: harvested,
      viabilityPct: 94,
      cellsSeeded: harvested / 2,
    });
    seeded = harvested / 2;
    for (let c = 1; c <= SIZE.countsPerPassage; c++) {
      await post(tech, `/batches/${batchId}/cell-counts`, {
        countedAt: at(passageAt + c * 3),
        totalCells: seeded + c * 10_000,
        viabilityPct: 93,
        method: 'NucleoCounter',
      });
    }
  }
  await post(tech, `/batches/${batchId}/final-harvest`, {
    performedAt: at(SIZE.passages * 36 + 34),
    totalCells: 2_000_000_000,
    viabilityPct: 90,
  });
}

async function closedDeviations(
  context: ScenarioContext,
  batchId: string,
  at: At,
  post: Post,
): Promise<void> {
  // A second QA user closes them, so the release's signer has recorded nothing on the batch (four eyes).
  const email = `bench-qa-records-${Date.now()}@cpc.bench`;
  await post(context.tokens.admin, '/users', {
    email,
    name: 'Bench QA (records)',
    role: 'qa',
    password: BENCH_PASSWORD,
  });
  const qa2 = await context.api.login(email, BENCH_PASSWORD);
  for (let d = 0; d < SIZE.deviations; d++) {
    const deviation = await post(context.tokens.technician, `/batches/${batchId}/deviations`, {
      description: `Deviation ${d + 1}: incubator door open for ${d + 2} minutes (インキュベーター扉開放)`,
      severity: d % 10 === 0 ? 'MAJOR' : 'MINOR',
      occurredAt: at(4 + d * 6),
    });
    await post(
      qa2,
      `/deviations/${deviation.id}/close`,
      { resolution: 'No impact on the culture', password: BENCH_PASSWORD },
      200,
    );
  }
}

async function releasedWithProducts(
  context: ScenarioContext,
  batchId: string,
  at: At,
  post: Post,
): Promise<void> {
  const { technician: tech, qa, admin } = context.tokens;
  const testedAt = at(SIZE.passages * 36 + 36);
  for (const result of [
    { test: 'STERILITY', result: 'NEGATIVE' },
    { test: 'MYCOPLASMA', result: 'NEGATIVE' },
    { test: 'ENDOTOXIN', value: 0.05, qualifier: '<', unit: 'EU/mL' },
    { test: 'VIABILITY', value: 90 },
    { test: 'CELL_COUNT', value: 1_800_000_000 },
    { test: 'IDENTITY_POSITIVE', value: 96 },
    { test: 'IDENTITY_NEGATIVE', value: 0.7 },
  ]) {
    await post(tech, `/batches/${batchId}/qc-results`, { ...result, testedAt });
  }
  await post(
    qa,
    `/batches/${batchId}/release`,
    { decision: 'RELEASE', password: BENCH_PASSWORD, meaning: 'Released for clinical use' },
    200,
  );
  await post(tech, `/batches/${batchId}/doses`, {
    cells: 10_000_000,
    volumeMl: 2,
    formulatedAt: new Date().toISOString(),
  });
  const tank = await post(admin, '/storage-units', { kind: 'TANK', name: `Record bench tank ${Date.now()}` });
  const rack = await post(admin, '/storage-units', {
    kind: 'RACK',
    name: `Record bench rack ${Date.now()}`,
    parentId: tank.id,
  });
  for (let b = 0; b < SIZE.vials / 100; b++) {
    const box = await post(admin, '/storage-units', {
      kind: 'BOX',
      name: `Record bench box ${Date.now()}-${b}`,
      parentId: rack.id,
      rows: 10,
      cols: 10,
    });
    const vials = Array.from({ length: 100 }, (_, i) => ({
      cells: 5_000_000,
      boxId: box.id,
      row: Math.floor(i / 10) + 1,
      col: (i % 10) + 1,
    }));
    await post(tech, `/batches/${batchId}/cryopreserve`, {
      frozenAt: new Date().toISOString(),
      medium: 'CryoStor CS10',
      dmsoPct: 10,
      vials,
    });
  }
}

/**
 * The generated history holds DINs that the app's counter (din_sequences) never handed out; without this the
 * first batch created through the API would be given a DIN that exists already.
 */
async function syncDinSequences(context: ScenarioContext): Promise<void> {
  await queryRows(
    context.databaseUrl,
    `INSERT INTO din_sequences (facility_fin, year2, last_value)
     SELECT substr(din, 1, 5), substr(din, 6, 2)::int, max(substr(din, 8, 6)::int) FROM batches GROUP BY 1, 2
     ON CONFLICT (facility_fin, year2) DO UPDATE SET last_value = GREATEST(din_sequences.last_value, EXCLUDED.last_value)`,
  );
}
