import TestAgent from 'supertest/lib/agent';
import { SCREENING_MARKERS, ScreeningMarker } from '../../src/donors/domain/screening-status';
import { bearer, Person } from './people';
import { unique } from './test-app';

export interface DonorRef {
  id: string;
  code: string;
  clinicId: string;
}

export interface DonorOptions {
  /** Banking consent; true unless said otherwise (most patients bank their surplus). */
  banking?: boolean;
  /** Treatment consent; true unless said otherwise. */
  treatment?: boolean;
}

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A donor of the doctor's clinic with a consent signed yesterday, and no screening yet (status PENDING). */
export async function aDonor(http: TestAgent, doctor: Person, options: DonorOptions = {}): Promise<DonorRef> {
  const response = await http
    .post('/api/v1/donors')
    .set(...bearer(doctor))
    .send({
      externalRef: unique('K-'),
      birthYear: 1970,
      sex: 'F',
      consent: {
        treatment: options.treatment ?? true,
        banking: options.banking ?? true,
        signedAt: ago(24 * HOUR),
      },
    });
  expectStatus('donor', response, 201);
  const donor = response.body as DonorRef;
  return { id: donor.id, code: donor.code, clinicId: donor.clinicId };
}

/**
 * A donor with consent and all five markers screened by the doctor: NEGATIVE, or with `reactive` HBV REACTIVE
 * (so the donor's batches are biohazard).
 */
export async function aScreenedDonor(
  http: TestAgent,
  doctor: Person,
  options: DonorOptions & { reactive?: boolean } = {},
): Promise<DonorRef> {
  const donor = await aDonor(http, doctor, options);
  for (const marker of SCREENING_MARKERS) {
    const result = options.reactive && marker === ScreeningMarker.HBV ? 'REACTIVE' : 'NEGATIVE';
    const response = await http
      .post(`/api/v1/donors/${donor.id}/screenings`)
      .set(...bearer(doctor))
      .send({ marker, result, testedAt: ago(20 * HOUR) });
    expectStatus(`screening ${marker}`, response, 201);
  }
  return donor;
}

/** 20 mL of adipose tissue collected an hour ago from the donor (a new screened donor if none is given). */
export async function aCollectedHarvest(
  http: TestAgent,
  doctor: Person,
  donor?: { id: string },
): Promise<{ id: string; donorId: string; collectedAt: string }> {
  const donorId = (donor ?? (await aScreenedDonor(http, doctor))).id;
  const collectedAt = ago(HOUR);
  const response = await http
    .post('/api/v1/harvests')
    .set(...bearer(doctor))
    .send({ donorId, tissue: 'ADIPOSE', volumeMl: 20, collectedAt });
  expectStatus('harvest', response, 201);
  return { id: (response.body as { id: string }).id, donorId, collectedAt };
}

/** A harvest collected an hour ago and received now, intact at 4 C: ready for a batch. */
export async function aReceivedHarvest(
  http: TestAgent,
  doctor: Person,
  technician: Person,
  donor?: { id: string },
): Promise<{ id: string; donorId: string }> {
  const harvest = await aCollectedHarvest(http, doctor, donor);
  const response = await http
    .post(`/api/v1/harvests/${harvest.id}/receipt`)
    .set(...bearer(technician))
    .send({ receivedAt: new Date().toISOString(), temperatureC: 4, intact: true });
  expectStatus('harvest receipt', response, 200);
  return { id: harvest.id, donorId: harvest.donorId };
}

/** A reagent lot with a unique lot number, by default a collagenase lot expiring in a year. */
export async function aMaterialLot(
  http: TestAgent,
  qaOrAdminToken: string | { token: string },
  options: { kind?: string; expiresAt?: string } = {},
): Promise<{ id: string; kind: string; lotNumber: string }> {
  const kind = options.kind ?? 'COLLAGENASE';
  const lotNumber = unique('LOT-');
  const response = await http
    .post('/api/v1/material-lots')
    .set(...bearer(qaOrAdminToken))
    .send({
      kind,
      name: `${kind.toLowerCase()} for tests`,
      lotNumber,
      expiresAt: options.expiresAt ?? new Date(Date.now() + 365 * 24 * HOUR).toISOString().slice(0, 10),
    });
  expectStatus('material lot', response, 201);
  return { id: (response.body as { id: string }).id, kind, lotNumber };
}
