import TestAgent from 'supertest/lib/agent';
import { aCollectedHarvest, aScreenedDonor } from './donor-fixtures';
import { bearer, Cast, Person } from './people';

/** A batch as the fixtures hand it on. */
export interface BatchRef {
  id: string;
  din: string;
  donorId: string;
  donorCode: string;
}

export interface BatchOptions {
  /** The donor screened REACTIVE (HBV): the batch is biohazard. */
  reactive?: boolean;
  /** The donor's banking consent; true unless said otherwise. */
  banking?: boolean;
  /** Viable cells ordered; 1e8 unless said otherwise. */
  targetCellCount?: number;
  /** Who receives the harvest at the CPC; cast.technician unless said otherwise. */
  receiver?: Person;
  /** Who creates the batch; cast.technician unless said otherwise. */
  creator?: Person;
}

export interface CultureCompleteOptions extends BatchOptions {
  /** Cells of the final harvest; 2e8 unless said otherwise. */
  totalCells?: number;
  /** Viability of the final harvest; 90 % unless said otherwise. */
  viabilityPct?: number;
}

const MINUTE = 60_000;

/** An ISO timestamp `minutes` before now: fixtures place a whole culture in the last hour, in order. */
export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * MINUTE).toISOString();

/**
 * The timeline every fixture batch follows: tissue collected an hour ago, received 55 minutes ago, isolated
 * 50, passaged at 40 (P1) and 30 (P2), finally harvested 20 minutes ago.
 */
export const FIXTURE_TIMES = { receivedAt: 55, isolation: 50, p1: 40, p2: 30, finalHarvest: 20 } as const;

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** POSTs a step as `who` and insists on 201; the body of the answer. */
export async function aStep(
  http: TestAgent,
  who: Person,
  batchId: string,
  step: 'isolation' | 'passages' | 'cell-counts' | 'final-harvest',
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await http
    .post(`/api/v1/batches/${batchId}/${step}`)
    .set(...bearer(who))
    .send(body);
  expectStatus(step, response, 201);
  return response.body as Record<string, unknown>;
}

/** A harvest of a new screened donor of the cast's clinic, received 55 minutes ago (intact, 4 C). */
export async function aReceivedHarvestFor(
  http: TestAgent,
  cast: Cast,
  options: BatchOptions = {},
): Promise<{ id: string; donorId: string; donorCode: string }> {
  const donor = await aScreenedDonor(http, cast.doctor, {
    reactive: options.reactive,
    banking: options.banking,
  });
  const harvest = await aCollectedHarvest(http, cast.doctor, donor);
  const receipt = await http
    .post(`/api/v1/harvests/${harvest.id}/receipt`)
    .set(...bearer(options.receiver ?? cast.technician))
    .send({ receivedAt: minutesAgo(FIXTURE_TIMES.receivedAt), temperatureC: 4, intact: true });
  expectStatus('harvest receipt', receipt, 200);
  return { id: harvest.id, donorId: donor.id, donorCode: donor.code };
}

/** Donor (screened), harvest (received) and a RECEIVED batch created by cast.technician. */
export async function aBatch(http: TestAgent, cast: Cast, options: BatchOptions = {}): Promise<BatchRef> {
  const harvest = await aReceivedHarvestFor(http, cast, options);
  const response = await http
    .post('/api/v1/batches')
    .set(...bearer(options.creator ?? cast.technician))
    .send({
      harvestId: harvest.id,
      productType: 'CULTURED_ADSC',
      targetCellCount: options.targetCellCount ?? 100_000_000,
    });
  expectStatus('batch', response, 201);
  const batch = response.body as { id: string; din: string };
  return { id: batch.id, din: batch.din, donorId: harvest.donorId, donorCode: harvest.donorCode };
}

/** A batch IN_CULTURE: 1e5 cells plated at isolation, then P1 (1.6e6 harvested, 4 doublings; 4e5 reseeded). */
export async function aBatchInCulture(
  http: TestAgent,
  cast: Cast,
  options: BatchOptions = {},
): Promise<BatchRef> {
  const batch = await aBatch(http, cast, options);
  await aStep(http, cast.technician, batch.id, 'isolation', {
    performedAt: minutesAgo(FIXTURE_TIMES.isolation),
    cellCount: 100_000,
    viabilityPct: 95,
  });
  await aStep(http, cast.technician, batch.id, 'passages', {
    passageNumber: 1,
    performedAt: minutesAgo(FIXTURE_TIMES.p1),
    cellsHarvested: 1_600_000,
    viabilityPct: 95,
    cellsSeeded: 400_000,
  });
  return batch;
}

/**
 * A batch CULTURE_COMPLETE: isolation, P1, P2 (6.4e6 harvested, 1.6e6 reseeded) and a final harvest of 2e8
 * cells at 90 % viability (1.8e8 viable cells), all recorded by cast.technician.
 */
export async function aCultureCompleteBatch(
  http: TestAgent,
  cast: Cast,
  options: CultureCompleteOptions = {},
): Promise<BatchRef> {
  const batch = await aBatchInCulture(http, cast, options);
  await aStep(http, cast.technician, batch.id, 'passages', {
    passageNumber: 2,
    performedAt: minutesAgo(FIXTURE_TIMES.p2),
    cellsHarvested: 6_400_000,
    viabilityPct: 94,
    cellsSeeded: 1_600_000,
  });
  await aStep(http, cast.technician, batch.id, 'final-harvest', {
    performedAt: minutesAgo(FIXTURE_TIMES.finalHarvest),
    totalCells: options.totalCells ?? 200_000_000,
    viabilityPct: options.viabilityPct ?? 90,
  });
  return batch;
}
