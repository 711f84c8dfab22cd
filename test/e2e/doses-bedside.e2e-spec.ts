import { randomUUID } from 'node:crypto';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import {
  aDose as aDoseOf,
  aReceivedDose,
  aReleasedBatch,
  DoseRef,
  ReleasedBatch,
} from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const now = (): string => new Date().toISOString();

describe('doses: dispatch, receipt, destruction and administration at the bedside', () => {
  let t: TestApp;
  let cast: Cast;
  let strangerDoctor: Person;
  let batch: ReleasedBatch;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    strangerDoctor = await aPerson(t.http, 'doctor');
    batch = await aReleasedBatch(t.http, cast);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Small doses (a million cells), so the one batch lasts the whole file. */
  const aDose = (...[http, who, batchId]: Parameters<typeof aDoseOf>) =>
    aDoseOf(http, who, batchId, { cells: 1_000_000 });

  function post(doseId: string, step: string, who: Person | string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/doses/${doseId}/${step}`)
      .set(...bearer(who))
      .send(body);
  }

  const dispatch = (dose: DoseRef, who: Person | string = cast.technician) =>
    post(dose.id, 'dispatch', who, { dispatchedAt: now() });
  const receive = (dose: DoseRef, body: Record<string, unknown> = {}, who: Person = cast.doctor) =>
    post(dose.id, 'receipt', who, { receivedAt: now(), temperatureC: 5, intact: true, ...body });
  const administer = (
    dose: DoseRef,
    body: Record<string, unknown> = {},
    who: Person | string = cast.doctor,
  ) =>
    post(dose.id, 'administration', who, {
      administeredAt: now(),
      site: 'LEFT_KNEE',
      patientCode: batch.donorCode,
      doseLabel: dose.label,
      ...body,
    });

  async function storedDose(doseId: string): Promise<Record<string, unknown>> {
    const { rows } = await t.sql.query('SELECT status, administered_at, site FROM doses WHERE id = $1', [
      doseId,
    ]);
    return rows[0];
  }

  async function auditActions(doseId: string): Promise<string[]> {
    const { rows } = await t.sql.query<{ action: string }>(
      `SELECT action FROM audit_entries WHERE entity_type = 'dose' AND entity_id = $1 ORDER BY seq`,
      [doseId],
    );
    return rows.map((r) => r.action);
  }

  it('dispatches, receives and administers a dose with the wristband code and the scanned label', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    const dispatched = await dispatch(dose);
    expect(dispatched.status).toBe(200);
    expect(dispatched.body).toMatchObject({ status: 'DISPATCHED', dispatchedAt: expect.any(String) });
    const received = await receive(dose);
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'RECEIVED',
      receipt: { temperatureC: 5, intact: true },
      deviations: [],
    });
    const given = await administer(dose, { site: 'RIGHT_KNEE' });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({
      status: 'ADMINISTERED',
      site: 'RIGHT_KNEE',
      administeredBy: cast.doctor.id,
    });
    expect(await auditActions(dose.id)).toEqual(['dose.dispatched', 'dose.received', 'dose.administered']);
    const { rows } = await t.sql.query(`SELECT type FROM outbox_events WHERE subject_id = $1 ORDER BY id`, [
      dose.id,
    ]);
    expect(rows.map((r) => r.type)).toEqual([
      'dose.formulated',
      'dose.changed',
      'dose.changed',
      'dose.administered',
    ]);
  });

  it('administers a dose given straight from the CPC (FORMULATED), and only once', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    expect((await administer(dose)).status).toBe(200);
    const again = await administer(dose);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
  });

  it('lets exactly one of two concurrent administrations of a dose win', async () => {
    const dose = await aReceivedDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const answers = await Promise.all([administer(dose), administer(dose)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await auditActions(dose.id)).filter((a) => a === 'dose.administered')).toHaveLength(1);
  });

  it("refuses another patient's wristband (IDENTITY_MISMATCH naming patientCode) and writes nothing", async () => {
    const dose = await aReceivedDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const response = await administer(dose, { patientCode: `${batch.donorCode}X` });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'IDENTITY_MISMATCH', details: { fields: ['patientCode'] } });
    expect(await storedDose(dose.id)).toMatchObject({
      status: 'RECEIVED',
      administered_at: null,
      site: null,
    });
    expect(await auditActions(dose.id)).not.toContain('dose.administered');
  });

  it('refuses the label of another dose scanned from the syringe (IDENTITY_MISMATCH naming doseLabel)', async () => {
    const dose = await aReceivedDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const other = await aDose(t.http, cast, batch.id);
    const response = await administer(dose, { doseLabel: other.label });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'IDENTITY_MISMATCH', details: { fields: ['doseLabel'] } });
    expect((await storedDose(dose.id)).status).toBe('RECEIVED');
  });

  it('rejects a dose that arrives damaged, and never administers it; it can then be destroyed', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    await dispatch(dose).expect(200);
    const rejected = await receive(dose, { intact: false });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', receipt: { intact: false } });
    const administered = await administer(dose);
    expect(administered.status).toBe(409);
    const destroyed = await post(dose.id, 'destruction', cast.doctor, {
      reason: 'Syringe cracked in transit',
    });
    expect(destroyed.status).toBe(200);
    expect(destroyed.body).toMatchObject({
      status: 'DESTROYED',
      destructionReason: 'Syringe cracked in transit',
    });
    const { rows } = await t.sql.query(
      `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'dose.destroyed'`,
      [dose.id],
    );
    expect(rows).toEqual([{ reason: 'Syringe cracked in transit' }]);
  });

  it('accepts a dose received outside 2..8 C and records the temperature deviation on it', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    await dispatch(dose).expect(200);
    const received = await receive(dose, { temperatureC: 12.5 });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'RECEIVED',
      deviations: [{ type: 'TEMPERATURE_OUT_OF_RANGE', temperatureC: 12.5, allowedMinC: 2, allowedMaxC: 8 }],
    });
    const fetched = await t.http
      .get(`/api/v1/doses/${dose.id}`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(fetched.body.deviations).toHaveLength(1);
  });

  it('receives only a dispatched dose, and dispatches only a formulated one (INVALID_TRANSITION)', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    const early = await receive(dose);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    await dispatch(dose).expect(200);
    const twice = await dispatch(dose);
    expect(twice.status).toBe(409);
  });

  it('destroys an unused dose (technician), but never an administered one', async () => {
    const unused = await aDose(t.http, cast, batch.id);
    expect(
      (await post(unused.id, 'destruction', cast.technician, { reason: 'Patient postponed' })).status,
    ).toBe(200);
    const again = await post(unused.id, 'destruction', cast.technician, { reason: 'again' });
    expect(again.status).toBe(409);
    const given = await aDose(t.http, cast, batch.id);
    await administer(given).expect(200);
    const response = await post(given.id, 'destruction', cast.technician, { reason: 'mistake' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');
    expect((await storedDose(given.id)).status).toBe('ADMINISTERED');
  });

  it("hides a dose from another clinic's doctor: receipt, administration, destruction and reads are 404", async () => {
    const dose = await aDose(t.http, cast, batch.id);
    await dispatch(dose).expect(200);
    expect((await receive(dose, {}, strangerDoctor)).status).toBe(404);
    expect((await administer(dose, {}, strangerDoctor)).status).toBe(404);
    expect((await post(dose.id, 'destruction', strangerDoctor, { reason: 'x' })).status).toBe(404);
    expect((await t.http.get(`/api/v1/doses/${dose.id}`).set(...bearer(strangerDoctor))).status).toBe(404);
    expect(
      (await t.http.get(`/api/v1/batches/${batch.id}/doses`).set(...bearer(strangerDoctor))).status,
    ).toBe(404);
    expect((await storedDose(dose.id)).status).toBe('DISPATCHED');
  });

  it('shows a batch its doses, newest first and paginated, to every role of the clinic', async () => {
    const page = await t.http
      .get(`/api/v1/batches/${batch.id}/doses?limit=2`)
      .set(...bearer(cast.doctor))
      .expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await t.http
      .get(`/api/v1/batches/${batch.id}/doses?limit=2&cursor=${page.body.nextCursor}`)
      .set(...bearer(cast.technician))
      .expect(200);
    const ids = [...page.body.items, ...next.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await t.http.get(`/api/v1/doses/${randomUUID()}`).set(...bearer(cast.admin))).status).toBe(404);
    expect((await t.http.get('/api/v1/doses/not-a-uuid').set(...bearer(cast.admin))).status).toBe(400);
  });

  it('keeps each step to its roles: 403 for a doctor dispatching, a technician receiving or administering', async () => {
    const dose = await aDose(t.http, cast, batch.id);
    expect((await dispatch(dose, cast.doctor)).status).toBe(403);
    expect((await receive(dose, {}, cast.technician)).status).toBe(403);
    expect((await administer(dose, {}, cast.technician)).status).toBe(403);
    expect((await administer(dose, {}, cast.qa)).status).toBe(403);
    expect((await post(dose.id, 'destruction', cast.qa, { reason: 'x' })).status).toBe(403);
    expect((await storedDose(dose.id)).status).toBe('FORMULATED');
  });

  it("keeps a dose's steps in order: no dispatch before formulation, no administration before receipt (400)", async () => {
    const dose = await aDose(t.http, cast, batch.id);
    const early = await post(dose.id, 'dispatch', cast.technician, {
      dispatchedAt: new Date(Date.parse(dose.formulatedAt) - 60_000).toISOString(),
    });
    expect(early.status).toBe(400);
    expect(early.body.details.fields[0].field).toBe('dispatchedAt');
    await dispatch(dose).expect(200);
    const receivedAt = new Date(Date.now() + 60_000).toISOString();
    await receive(dose, { receivedAt }).expect(200);
    const beforeArrival = await administer(dose, {
      administeredAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(beforeArrival.status).toBe(400);
    expect(beforeArrival.body.details.fields[0].field).toBe('administeredAt');
    expect((await storedDose(dose.id)).status).toBe('RECEIVED');
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'a receipt temperature as text',
      'receipt',
      { receivedAt: now(), temperatureC: 'cold', intact: true },
      'temperatureC',
    ],
    ['a receipt without intact', 'receipt', { receivedAt: now(), temperatureC: 5 }, 'intact'],
    [
      'an unknown injection site',
      'administration',
      { administeredAt: now(), site: 'HIP', patientCode: 'x', doseLabel: 'y' },
      'site',
    ],
    [
      'an administration without the scanned label',
      'administration',
      { administeredAt: now(), site: 'LEFT_KNEE', patientCode: 'x' },
      'doseLabel',
    ],
    [
      'a dispatch in the future',
      'dispatch',
      { dispatchedAt: new Date(Date.now() + 3_600_000).toISOString() },
      'dispatchedAt',
    ],
    ['a destruction without a reason', 'destruction', {}, 'reason'],
  ])('refuses %s (400 naming the field) and writes nothing', async (_case, step, body, field) => {
    const dose = await aDose(t.http, cast, batch.id);
    const who = step === 'dispatch' || step === 'destruction' ? cast.technician : cast.doctor;
    const response = await post(dose.id, step, who, body);
    expect(response.status).toBe(400);
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await storedDose(dose.id)).status).toBe('FORMULATED');
    expect(await auditActions(dose.id)).toEqual([]);
  });
});
