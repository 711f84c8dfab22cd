import TestAgent from 'supertest/lib/agent';
import { aStep, aBatchInCulture, BatchRef, FIXTURE_TIMES, minutesAgo } from './batch-fixtures';
import { aPerson, bearer, Cast, Clinic, Person } from './people';
import { aQcResult, aDose, DoseRef, passingQc, release } from './release-fixtures';
import { loginAsAdmin, unique } from './test-app';

export const JAPANESE_CLINIC = 'さくら整形外科クリニック';
export const DEVIATION_TEXT = 'インキュベーターの扉が10分間開いていた (incubator door open 10 min)';

function expectStatus(what: string, response: { status: number; body: unknown }, status: number): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A clinic with a Japanese name, and a cast around it (doctor, two technicians, a QA manager). */
export async function aJapaneseClinicCast(http: TestAgent): Promise<Cast> {
  const admin = await loginAsAdmin(http);
  const code = unique('JP').slice(0, 16);
  const created = await http
    .post('/api/v1/clinics')
    .set(...bearer(admin))
    .send({ code, name: JAPANESE_CLINIC });
  expectStatus('clinic', created, 201);
  const clinic = created.body as Clinic;
  const [doctor, technician, technician2, qa] = await Promise.all([
    aPerson(http, 'doctor', clinic),
    aPerson(http, 'technician'),
    aPerson(http, 'technician'),
    aPerson(http, 'qa'),
  ]);
  return { clinic, doctor, technician, technician2, qa, admin };
}

export interface RecordedBatch {
  batch: BatchRef;
  dose: DoseRef;
  qa2: Person;
  ids: { count: string; countCorrection: string; failingViability: string; viabilityCorrection: string };
}

/**
 * A released batch whose record has something in every section: a cell count corrected, a deviation opened
 * and closed, a failing viability result corrected by a second QA user (out-of-specification investigation),
 * the release under cast.qa's signature, and a fresh dose.
 */
export async function aBatchWithAFullRecord(http: TestAgent, cast: Cast): Promise<RecordedBatch> {
  const qa2 = await aPerson(http, 'qa');
  const batch = await aBatchInCulture(http, cast);
  const count = await aStep(http, cast.technician, batch.id, 'cell-counts', {
    countedAt: minutesAgo(35),
    totalCells: 3_000_000,
    viabilityPct: 93,
    method: 'NucleoCounter',
  });
  const countCorrection = await aStep(http, cast.technician2, batch.id, 'cell-counts', {
    countedAt: minutesAgo(35),
    totalCells: 3_200_000,
    viabilityPct: 93,
    method: 'NucleoCounter',
    correctsId: count.id,
    reason: '転記ミス: transcription error, counter printout reads 3.2e6',
  });
  await aStep(http, cast.technician, batch.id, 'passages', {
    passageNumber: 2,
    performedAt: minutesAgo(FIXTURE_TIMES.p2),
    cellsHarvested: 6_400_000,
    viabilityPct: 94,
    cellsSeeded: 1_600_000,
  });
  await aStep(http, cast.technician, batch.id, 'final-harvest', {
    performedAt: minutesAgo(FIXTURE_TIMES.finalHarvest),
    totalCells: 200_000_000,
    viabilityPct: 90,
  });
  const deviation = await http
    .post(`/api/v1/batches/${batch.id}/deviations`)
    .set(...bearer(cast.technician))
    .send({ description: DEVIATION_TEXT, severity: 'MINOR', occurredAt: minutesAgo(25) });
  expectStatus('deviation', deviation, 201);
  const closed = await http
    .post(`/api/v1/deviations/${(deviation.body as { id: string }).id}/close`)
    .set(...bearer(qa2))
    .send({ resolution: 'Temperature stayed in range; no impact', password: qa2.password });
  expectStatus('deviation close', closed, 200);
  await passingQc(http, batch.id, cast.technician.token, { except: ['VIABILITY'] });
  const failing = await aQcResult(http, batch.id, cast.technician.token, {
    test: 'VIABILITY',
    value: 65,
    testedAt: minutesAgo(15),
  });
  const corrected = await aQcResult(http, batch.id, qa2.token, {
    test: 'VIABILITY',
    value: 88,
    testedAt: minutesAgo(15),
    correctsId: failing.id,
    reason: 'OOS investigation: wrong dilution factor, recount 88 %',
  });
  expectStatus('release', await release(http, batch.id, cast.qa), 200);
  const dose = await aDose(http, cast, batch.id);
  return {
    batch,
    dose,
    qa2,
    ids: {
      count: count.id as string,
      countCorrection: countCorrection.id as string,
      failingViability: failing.id,
      viabilityCorrection: corrected.id,
    },
  };
}
