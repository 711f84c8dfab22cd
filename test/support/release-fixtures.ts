import TestAgent from 'supertest/lib/agent';
import { SCREENING_MARKERS } from '../../src/donors/domain/screening-status';
import { aCultureCompleteBatch, BatchRef, CultureCompleteOptions } from './batch-fixtures';
import { bearer, Cast, Person } from './people';
import { unique } from './test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ReleasedBatch extends BatchRef {
  expiresAt: string;
  viableCellsYielded: number;
}

export interface DoseRef {
  id: string;
  label: string;
  status: string;
  cells: number;
  formulatedAt: string;
  expiresAt: string;
}

export type QcBody = Record<string, unknown> & { test: string };

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

/**
 * One passing result for every test of the default specification (sterility NEGATIVE, endotoxin below the
 * detection limit, viability 92 %, identity markers well inside their limits); CELL_COUNT is filled in with
 * the batch's target.
 */
export function passingResults(targetCellCount: number, testedAt = ago(HOUR)): QcBody[] {
  return [
    { test: 'STERILITY', result: 'NEGATIVE', testedAt },
    { test: 'MYCOPLASMA', result: 'NEGATIVE', testedAt },
    { test: 'ENDOTOXIN', value: 0.05, qualifier: '<', unit: 'EU/mL', testedAt },
    { test: 'VIABILITY', value: 92, testedAt },
    { test: 'CELL_COUNT', value: targetCellCount, testedAt },
    { test: 'IDENTITY_POSITIVE', value: 96.5, testedAt },
    { test: 'IDENTITY_NEGATIVE', value: 0.8, testedAt },
  ];
}

export async function aQcResult(
  http: TestAgent,
  batchId: string,
  token: string,
  body: QcBody,
): Promise<{ id: string; outcome: string }> {
  const response = await http
    .post(`/api/v1/batches/${batchId}/qc-results`)
    .set(...bearer(token))
    .send(body);
  expectStatus(`QC ${body.test}`, response, 201);
  return response.body as { id: string; outcome: string };
}

/**
 * Records all seven passing QC results on the batch as `token`'s user; `except` leaves tests out (QC then
 * incomplete). Answers the results by test.
 */
export async function passingQc(
  http: TestAgent,
  batchId: string,
  token: string,
  options: { except?: string[] } = {},
): Promise<Record<string, { id: string; outcome: string }>> {
  const batch = await http.get(`/api/v1/batches/${batchId}`).set(...bearer(token));
  expectStatus('batch', batch, 200);
  const recorded: Record<string, { id: string; outcome: string }> = {};
  for (const body of passingResults((batch.body as { targetCellCount: number }).targetCellCount)) {
    if (options.except?.includes(body.test)) continue;
    recorded[body.test] = await aQcResult(http, batchId, token, body);
  }
  return recorded;
}

/** QA's release of the batch under their own signature. */
export async function release(
  http: TestAgent,
  batchId: string,
  qa: Person,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await http
    .post(`/api/v1/batches/${batchId}/release`)
    .set(...bearer(qa))
    .send({ decision: 'RELEASE', password: qa.password, meaning: 'Released for clinical use' });
  return { status: response.status, body: response.body as Record<string, unknown> };
}

/** A culture-complete batch with passing QC recorded by the technician, released under cast.qa's signature. */
export async function aReleasedBatch(
  http: TestAgent,
  cast: Cast,
  options: CultureCompleteOptions = {},
): Promise<ReleasedBatch> {
  const batch = await aCultureCompleteBatch(http, cast, options);
  await passingQc(http, batch.id, cast.technician.token);
  const released = await release(http, batch.id, cast.qa);
  expectStatus('release', released, 200);
  const view = released.body as { expiresAt: string; viableCellsYielded: number };
  return { ...batch, expiresAt: view.expiresAt, viableCellsYielded: view.viableCellsYielded };
}

/** A fresh dose of 10 million viable cells in 2 mL, formulated by the technician just now. */
export async function aDose(
  http: TestAgent,
  cast: Cast,
  batchId: string,
  options: { cells?: number; volumeMl?: number; formulatedAt?: string; materialLotIds?: string[] } = {},
): Promise<DoseRef> {
  const response = await http
    .post(`/api/v1/batches/${batchId}/doses`)
    .set(...bearer(cast.technician))
    .send({
      cells: options.cells ?? 10_000_000,
      volumeMl: options.volumeMl ?? 2,
      formulatedAt: options.formulatedAt ?? new Date().toISOString(),
      ...(options.materialLotIds ? { materialLotIds: options.materialLotIds } : {}),
    });
  expectStatus('dose', response, 201);
  return response.body as DoseRef;
}

/** The dose sent to the clinic and received there intact at 5 C. */
export async function aReceivedDose(
  http: TestAgent,
  cast: Cast,
  batchId: string,
  options: { cells?: number } = {},
): Promise<DoseRef> {
  const dose = await aDose(http, cast, batchId, options);
  const dispatched = await http
    .post(`/api/v1/doses/${dose.id}/dispatch`)
    .set(...bearer(cast.technician))
    .send({ dispatchedAt: new Date().toISOString() });
  expectStatus('dispatch', dispatched, 200);
  const received = await http
    .post(`/api/v1/doses/${dose.id}/receipt`)
    .set(...bearer(cast.doctor))
    .send({ receivedAt: new Date().toISOString(), temperatureC: 5, intact: true });
  expectStatus('dose receipt', received, 200);
  return received.body as DoseRef;
}

/**
 * A culture-complete batch whose whole record lies in the past, ending with a final harvest at
 * `finalHarvestAt` (e.g. 49 h ago, past the fresh shelf life). Built step by step through the API with
 * back-dated times, since every step must follow the one before it on the batch's timeline.
 */
export async function aCultureCompleteBatchHarvestedAt(
  http: TestAgent,
  cast: Cast,
  finalHarvestAt: Date,
): Promise<BatchRef> {
  const end = finalHarvestAt.getTime();
  const at = (daysBeforeFinal: number, hours = 0): string =>
    new Date(end - daysBeforeFinal * DAY + hours * HOUR).toISOString();
  const donor = await http
    .post('/api/v1/donors')
    .set(...bearer(cast.doctor))
    .send({
      externalRef: unique('K-'),
      birthYear: 1968,
      sex: 'M',
      consent: { treatment: true, banking: true, signedAt: at(30) },
    });
  expectStatus('donor', donor, 201);
  const { id: donorId, code: donorCode } = donor.body as { id: string; code: string };
  for (const marker of SCREENING_MARKERS) {
    const screening = await http
      .post(`/api/v1/donors/${donorId}/screenings`)
      .set(...bearer(cast.doctor))
      .send({ marker, result: 'NEGATIVE', testedAt: at(29) });
    expectStatus(`screening ${marker}`, screening, 201);
  }
  const harvest = await http
    .post('/api/v1/harvests')
    .set(...bearer(cast.doctor))
    .send({ donorId, tissue: 'ADIPOSE', volumeMl: 20, collectedAt: at(21) });
  expectStatus('harvest', harvest, 201);
  const harvestId = (harvest.body as { id: string }).id;
  expectStatus(
    'harvest receipt',
    await http
      .post(`/api/v1/harvests/${harvestId}/receipt`)
      .set(...bearer(cast.technician))
      .send({ receivedAt: at(21, 3), temperatureC: 4, intact: true }),
    200,
  );
  const batch = await http
    .post('/api/v1/batches')
    .set(...bearer(cast.technician))
    .send({ harvestId, productType: 'CULTURED_ADSC', targetCellCount: 100_000_000 });
  expectStatus('batch', batch, 201);
  const { id, din } = batch.body as { id: string; din: string };
  const post = async (what: string, step: string, body: Record<string, unknown>): Promise<void> =>
    expectStatus(
      what,
      await http
        .post(`/api/v1/batches/${id}/${step}`)
        .set(...bearer(cast.technician))
        .send(body),
      201,
    );
  await post('isolation', 'isolation', { performedAt: at(20), cellCount: 1_000_000, viabilityPct: 90 });
  await post('passage', 'passages', {
    passageNumber: 1,
    performedAt: at(10),
    cellsHarvested: 20_000_000,
    viabilityPct: 93,
    cellsSeeded: 5_000_000,
  });
  await post('final harvest', 'final-harvest', {
    performedAt: at(0),
    totalCells: 200_000_000,
    viabilityPct: 90,
  });
  return { id, din, donorId, donorCode };
}
