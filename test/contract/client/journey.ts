/**
 * The main journey as a client developer writes it: a client generated from /docs-json with
 * openapi-typescript, called through openapi-fetch, with no casts. It takes a patient's cells from consent
 * to an administered dose and a banked vial, as the four roles do it, and walks the error paths a client
 * must handle on the way (400, 401, 403, 404, 409, 422, idempotent replays, JSON errors on SVG and NDJSON
 * routes).
 *
 * test/contract/typed-client.contract-spec.ts compiles it against the generated types (strict, no casts);
 * test/contract/prism-journey.contract-spec.ts runs it through `prism proxy --errors`.
 */
import createClient, { Client } from 'openapi-fetch';
import type { components, paths } from '../generated/cpc-api';
import type { JourneyOptions, JourneyResult } from './journey-shape';

type Api = Client<paths>;
type Schemas = components['schemas'];
type ErrorCode = Schemas['ErrorCode'];

interface Answer<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const inFuture = (ms: number): string => new Date(Date.now() + ms).toISOString();

function ok<T, E>(step: string, answer: Answer<T, E>, status: number): T {
  if (answer.response.status !== status || answer.data === undefined)
    throw new Error(
      `${step}: expected ${status}, got ${answer.response.status} ${JSON.stringify(answer.error ?? answer.data)}`,
    );
  return answer.data;
}

function refused<T, E extends { code: ErrorCode }>(
  step: string,
  answer: Answer<T, E>,
  status: number,
  code: ErrorCode,
): void {
  if (answer.response.status !== status || answer.error?.code !== code)
    throw new Error(
      `${step}: expected ${status} ${code}, got ${answer.response.status} ${JSON.stringify(answer.error ?? answer.data)}`,
    );
}

interface Staff {
  api: Api;
  password: string;
}

interface Cast {
  admin: Api;
  doctor: Api;
  otherClinicDoctor: Api;
  technician: Api;
  technician2: Api;
  qa: Staff;
  adminBasic: string;
}

export async function runJourney(options: JourneyOptions): Promise<JourneyResult> {
  const cast = await signInTheCast(options);
  const patient = await registerThePatient(cast);
  const batch = await createTheBatch(cast, patient);
  await cultureTheCells(cast, batch.id);
  const vialLabels = await bankTheSurplus(cast, batch.id);
  await releaseTheBatch(cast, batch.id);
  const doseLabel = await treatThePatient(cast, batch.id, patient.code);
  const auditActions = await readTheRecord(cast, batch.id, `${batch.din}${batch.dinCheck}`);
  return { din: batch.din, doseLabel, vialLabels, auditActions };
}

async function signInTheCast(options: JourneyOptions): Promise<Cast> {
  const signedIn = (token?: string): Api =>
    createClient<paths>({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });
  const anonymous = signedIn();
  const login = async (email: string, password: string): Promise<string> =>
    ok('login', await anonymous.POST('/api/v1/auth/login', { body: { email, password } }), 200).accessToken;
  const admin = signedIn(await login(options.admin.email, options.admin.password));

  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
  const clinicBody = { code: `J-${run}`, name: `Journey Knee Clinic ${run}` };
  const clinic = ok('a clinic', await admin.POST('/api/v1/clinics', { body: clinicBody }), 201);
  refused(
    'the same clinic code',
    await admin.POST('/api/v1/clinics', { body: clinicBody }),
    409,
    'DUPLICATE',
  );
  const other = ok(
    'another clinic',
    await admin.POST('/api/v1/clinics', { body: { code: `K-${run}`, name: `Other Clinic ${run}` } }),
    201,
  );
  refused('a made-up token', await signedIn('not-a-token').GET('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');

  const staff = async (role: 'doctor' | 'technician' | 'qa', clinicId?: string): Promise<Staff> => {
    const email = `${role}-${run.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@journey.test`;
    const password = `pw-${run.toLowerCase()}-${role}-long`;
    const name = `${role} ${run}`;
    const body =
      clinicId === undefined ? { email, name, role, password } : { email, name, role, password, clinicId };
    ok(`a ${role}`, await admin.POST('/api/v1/users', { body }), 201);
    return { api: signedIn(await login(email, password)), password };
  };
  const doctor = await staff('doctor', clinic.id);
  const me = ok('who am I', await doctor.api.GET('/api/v1/auth/me'), 200);
  if (me.clinicId !== clinic.id) throw new Error(`the doctor belongs to ${me.clinicId}, not ${clinic.id}`);
  return {
    admin,
    doctor: doctor.api,
    otherClinicDoctor: (await staff('doctor', other.id)).api,
    technician: (await staff('technician')).api,
    technician2: (await staff('technician')).api,
    qa: await staff('qa'),
    adminBasic: `Basic ${Buffer.from(`${options.admin.email}:${options.admin.password}`).toString('base64')}`,
  };
}

/** The doctor registers the patient with consent, four of five screening markers, and the harvest. */
async function registerThePatient(cast: Cast): Promise<{ id: string; code: string; harvestId: string }> {
  const { doctor } = cast;
  const body: Schemas['CreateDonorDto'] = {
    birthYear: 1961,
    sex: 'F',
    consent: { treatment: true, banking: true, signedAt: ago(20 * DAY) },
  };
  const key = { header: { 'Idempotency-Key': `journey-donor-${Date.now()}-${Math.random()}` } };
  const donor = ok('a donor', await doctor.POST('/api/v1/donors', { body, params: key }), 201);
  const replay = ok('the same donor again', await doctor.POST('/api/v1/donors', { body, params: key }), 201);
  if (replay.id !== donor.id) throw new Error('a replayed Idempotency-Key created a second donor');
  refused(
    'the same key with another body',
    await doctor.POST('/api/v1/donors', { body: { ...body, birthYear: 1962 }, params: key }),
    422,
    'IDEMPOTENCY_KEY_REUSED',
  );
  refused(
    "another clinic's patient",
    await cast.otherClinicDoctor.GET('/api/v1/donors/{id}', { params: { path: { id: donor.id } } }),
    404,
    'NOT_FOUND',
  );
  const markers: Schemas['RecordScreeningDto']['marker'][] = ['HBV', 'HCV', 'HIV', 'HTLV1'];
  for (const marker of markers) {
    ok(
      `screening ${marker}`,
      await doctor.POST('/api/v1/donors/{id}/screenings', {
        params: { path: { id: donor.id } },
        body: { marker, result: 'NEGATIVE', testedAt: ago(19 * DAY) },
      }),
      201,
    );
  }
  const harvest = { donorId: donor.id, tissue: 'ADIPOSE', volumeMl: 20 } satisfies Partial<
    Schemas['CreateHarvestDto']
  >;
  refused(
    'a harvest collected in an hour',
    await doctor.POST('/api/v1/harvests', { body: { ...harvest, collectedAt: inFuture(HOUR) } }),
    400,
    'VALIDATION_FAILED',
  );
  const collected = ok(
    'the harvest',
    await doctor.POST('/api/v1/harvests', { body: { ...harvest, collectedAt: ago(16 * DAY) } }),
    201,
  );
  return { id: donor.id, code: donor.code, harvestId: collected.id };
}

/** The CPC receives the tissue and creates the batch once screening is complete. */
async function createTheBatch(
  cast: Cast,
  patient: { id: string; harvestId: string },
): Promise<{ id: string; din: string; dinCheck: string }> {
  const { technician, doctor } = cast;
  const receipt = { receivedAt: ago(15 * DAY), temperatureC: 4.5, intact: true };
  const path = { params: { path: { id: patient.harvestId } } };
  const received = ok(
    'harvest receipt',
    await technician.POST('/api/v1/harvests/{id}/receipt', { ...path, body: receipt }),
    200,
  );
  if (received.status !== 'RECEIVED') throw new Error(`the harvest is ${received.status}`);
  refused(
    'a second receipt',
    await technician.POST('/api/v1/harvests/{id}/receipt', { ...path, body: receipt }),
    409,
    'INVALID_TRANSITION',
  );
  const body: Schemas['CreateBatchDto'] = {
    harvestId: patient.harvestId,
    productType: 'CULTURED_ADSC',
    targetCellCount: 150_000_000,
  };
  refused('a batch by a doctor', await doctor.POST('/api/v1/batches', { body }), 403, 'FORBIDDEN');
  refused(
    'a batch before the last marker',
    await technician.POST('/api/v1/batches', { body }),
    422,
    'SCREENING_INCOMPLETE',
  );
  ok(
    'screening SYPHILIS',
    await doctor.POST('/api/v1/donors/{id}/screenings', {
      params: { path: { id: patient.id } },
      body: { marker: 'SYPHILIS', result: 'NEGATIVE', testedAt: ago(15 * DAY) },
    }),
    201,
  );
  const batch = ok('the batch', await technician.POST('/api/v1/batches', { body }), 201);
  refused(
    'a second batch of the harvest',
    await technician.POST('/api/v1/batches', { body }),
    409,
    'DUPLICATE',
  );
  return { id: batch.id, din: batch.din, dinCheck: batch.dinCheck };
}

/** Isolation (P0), two passages, a count between, the final harvest. */
async function cultureTheCells(cast: Cast, batchId: string): Promise<void> {
  const { technician, doctor } = cast;
  const path = { params: { path: { id: batchId } } };
  ok(
    'isolation',
    await technician.POST('/api/v1/batches/{id}/isolation', {
      ...path,
      body: { performedAt: ago(14 * DAY), cellCount: 500_000, viabilityPct: 92 },
    }),
    201,
  );
  const first = ok(
    'passage 1',
    await technician.POST('/api/v1/batches/{id}/passages', {
      ...path,
      body: {
        passageNumber: 1,
        performedAt: ago(10 * DAY),
        cellsHarvested: 4_000_000,
        viabilityPct: 94,
        cellsSeeded: 1_000_000,
      },
    }),
    201,
  );
  if (first.populationDoublings !== 3)
    throw new Error(`P1 doubled ${first.populationDoublings} times, not 3`);
  refused(
    'passage 3 before passage 2',
    await technician.POST('/api/v1/batches/{id}/passages', {
      ...path,
      body: {
        passageNumber: 3,
        performedAt: ago(7 * DAY),
        cellsHarvested: 8_000_000,
        viabilityPct: 93,
        cellsSeeded: 2_000_000,
      },
    }),
    422,
    'PASSAGE_OUT_OF_ORDER',
  );
  ok(
    'passage 2',
    await technician.POST('/api/v1/batches/{id}/passages', {
      ...path,
      body: {
        passageNumber: 2,
        performedAt: ago(6 * DAY),
        cellsHarvested: 8_000_000,
        viabilityPct: 93,
        cellsSeeded: 2_000_000,
      },
    }),
    201,
  );
  ok(
    'a count',
    await technician.POST('/api/v1/batches/{id}/cell-counts', {
      ...path,
      body: { countedAt: ago(DAY), totalCells: 4_000_000, viabilityPct: 95 },
    }),
    201,
  );
  const view = ok('the batch in culture', await doctor.GET('/api/v1/batches/{id}', path), 200);
  if (view.status !== 'IN_CULTURE' || view.currentPassage !== 2)
    throw new Error(`the batch is ${view.status}`);
  ok(
    'final harvest',
    await technician.POST('/api/v1/batches/{id}/final-harvest', {
      ...path,
      body: { performedAt: ago(2 * HOUR), totalCells: 180_000_000, viabilityPct: 91 },
    }),
    201,
  );
}

/** Surplus cells into a liquid-nitrogen tank: the admin builds the storage, a technician freezes two vials. */
async function bankTheSurplus(cast: Cast, batchId: string): Promise<string[]> {
  const { admin, technician } = cast;
  const unit = async (body: Schemas['CreateStorageUnitDto']): Promise<string> =>
    ok(`a ${body.kind}`, await admin.POST('/api/v1/storage-units', { body }), 201).id;
  const tank = await unit({ name: `Journey tank ${Date.now()}`, kind: 'TANK' });
  const rack = await unit({ name: 'Rack 1', kind: 'RACK', parentId: tank });
  const box = await unit({ name: 'Box 1', kind: 'BOX', parentId: rack, rows: 3, cols: 3 });
  const free = ok(
    'free positions',
    await technician.GET('/api/v1/storage-units/{id}/free-positions', {
      params: { path: { id: box }, query: { count: 2 } },
    }),
    200,
  );
  const frozen = ok(
    'cryopreservation',
    await technician.POST('/api/v1/batches/{id}/cryopreserve', {
      params: { path: { id: batchId } },
      body: {
        frozenAt: ago(HOUR),
        medium: 'CryoStor CS10',
        vials: free.map((position) => ({ cells: 10_000_000, ...position })),
      },
    }),
    201,
  );
  const labels = frozen.vials.map((vial) => vial.label);
  const first = ok(
    'a vial by its label',
    await technician.GET('/api/v1/vials/by-label/{label}', { params: { path: { label: labels[0] } } }),
    200,
  );
  if (first.status !== 'STORED') throw new Error(`vial ${first.label} is ${first.status}`);
  return labels;
}

/** QC by a second technician; QA, who recorded nothing on the batch, signs the release. */
async function releaseTheBatch(cast: Cast, batchId: string): Promise<void> {
  const { technician2, qa } = cast;
  const path = { params: { path: { id: batchId } } };
  const testedAt = ago(HOUR);
  const results: Schemas['CategoricalQcResultBodyDto' | 'NumericQcResultBodyDto'][] = [
    { test: 'STERILITY', result: 'NEGATIVE', testedAt },
    { test: 'MYCOPLASMA', result: 'NEGATIVE', testedAt },
    { test: 'ENDOTOXIN', value: 0.05, qualifier: '<', testedAt },
    { test: 'VIABILITY', value: 91, testedAt },
    { test: 'CELL_COUNT', value: 163_800_000, testedAt },
    { test: 'IDENTITY_POSITIVE', value: 96, testedAt },
    { test: 'IDENTITY_NEGATIVE', value: 0.8, testedAt },
  ];
  for (const body of results) {
    const recorded = ok(
      `QC ${body.test}`,
      await technician2.POST('/api/v1/batches/{id}/qc-results', { ...path, body }),
      201,
    );
    if (recorded.outcome !== 'PASS') throw new Error(`QC ${body.test} is ${recorded.outcome}`);
  }
  const decision = { decision: 'RELEASE', meaning: 'Released for clinical use' } satisfies Partial<
    Schemas['DecideBatchDto']
  >;
  refused(
    'a release signed with a wrong password',
    await qa.api.POST('/api/v1/batches/{id}/release', {
      ...path,
      body: { ...decision, password: 'not-my-password' },
    }),
    422,
    'SIGNATURE_INVALID',
  );
  const released = ok(
    'the release',
    await qa.api.POST('/api/v1/batches/{id}/release', {
      ...path,
      body: { ...decision, password: qa.password },
    }),
    200,
  );
  if (released.status !== 'RELEASED' || released.decision?.decision !== 'RELEASE')
    throw new Error(`the batch is ${released.status}`);
}

/** A dose to the clinic and into the knee: the wristband's code and the syringe's label must both match. */
async function treatThePatient(cast: Cast, batchId: string, patientCode: string): Promise<string> {
  const { technician, doctor } = cast;
  const dose = ok(
    'a dose',
    await technician.POST('/api/v1/batches/{id}/doses', {
      params: { path: { id: batchId } },
      body: { cells: 50_000_000, volumeMl: 5, formulatedAt: ago(30 * MINUTE) },
    }),
    201,
  );
  const path = { params: { path: { id: dose.id } } };
  ok(
    'dispatch',
    await technician.POST('/api/v1/doses/{id}/dispatch', {
      ...path,
      body: { dispatchedAt: ago(20 * MINUTE) },
    }),
    200,
  );
  ok(
    'receipt at the clinic',
    await doctor.POST('/api/v1/doses/{id}/receipt', {
      ...path,
      body: { receivedAt: ago(5 * MINUTE), temperatureC: 5, intact: true },
    }),
    200,
  );
  const administration = {
    administeredAt: ago(MINUTE),
    site: 'LEFT_KNEE',
    doseLabel: dose.label,
  } satisfies Partial<Schemas['AdministerDoseDto']>;
  refused(
    "another patient's wristband",
    await doctor.POST('/api/v1/doses/{id}/administration', {
      ...path,
      body: { ...administration, patientCode: 'P-NOT-THIS-ONE' },
    }),
    422,
    'IDENTITY_MISMATCH',
  );
  const given = ok(
    'the injection',
    await doctor.POST('/api/v1/doses/{id}/administration', {
      ...path,
      body: { ...administration, patientCode },
    }),
    200,
  );
  if (given.status !== 'ADMINISTERED') throw new Error(`the dose is ${given.status}`);
  return ok('the dose', await doctor.GET('/api/v1/doses/{id}', path), 200).label;
}

/** The whole record: by DIN, lineage, growth (JSON and SVG), audit trail, flags, and the operations routes. */
async function readTheRecord(cast: Cast, batchId: string, dinWithCheck: string): Promise<string[]> {
  const { doctor, admin, qa } = cast;
  const path = { params: { path: { id: batchId } } };
  const byDin = ok(
    'the batch by its DIN',
    await doctor.GET('/api/v1/batches/by-din/{din}', { params: { path: { din: dinWithCheck } } }),
    200,
  );
  if (byDin.id !== batchId) throw new Error(`${dinWithCheck} is batch ${byDin.id}`);
  ok('the clinic batches', await doctor.GET('/api/v1/batches', { params: { query: { limit: 10 } } }), 200);
  const lineage = ok('lineage', await doctor.GET('/api/v1/batches/{id}/lineage', path), 200);
  if (lineage.doses.length !== 1) throw new Error(`the lineage lists ${lineage.doses.length} doses`);
  const growth = ok('growth', await doctor.GET('/api/v1/batches/{id}/growth', path), 200);
  if (growth.points.length === 0) throw new Error('the growth curve has no points');
  const svg = ok(
    'growth chart',
    await doctor.GET('/api/v1/batches/{id}/growth.svg', { ...path, parseAs: 'text' }),
    200,
  );
  if (!svg.includes('<svg')) throw new Error('growth.svg is not an SVG document');
  refused(
    'the chart of no batch',
    await doctor.GET('/api/v1/batches/{id}/growth.svg', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
      parseAs: 'text',
    }),
    404,
    'NOT_FOUND',
  );
  ok('flags', await doctor.GET('/api/v1/flags', { params: { query: { batchId } } }), 200);
  const trail = ok(
    'audit trail',
    await qa.api.GET('/api/v1/audit', { params: { query: { entityId: batchId } } }),
    200,
  );
  const verified = ok('audit verification', await admin.GET('/api/v1/audit/verify'), 200);
  if (!verified.ok) throw new Error('the audit chain does not verify');
  refused(
    'the export by QA',
    await qa.api.GET('/api/v1/audit/export', { parseAs: 'stream' }),
    403,
    'FORBIDDEN',
  );
  const health = ok('health', await doctor.GET('/health'), 200);
  if (health.status !== 'ok') throw new Error(`health is ${health.status}`);
  ok('metrics', await doctor.GET('/metrics', { parseAs: 'text' }), 200);
  ok(
    'the queue dashboard',
    await admin.GET('/admin/queues', { headers: { Authorization: cast.adminBasic }, parseAs: 'text' }),
    200,
  );
  return trail.items.map((entry) => entry.action);
}
