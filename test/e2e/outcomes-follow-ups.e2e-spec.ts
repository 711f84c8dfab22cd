import { aBankedBatch, aBooster, BankedBatch } from '../support/bank-fixtures';
import { aJobsApp, flagRowsOf, JobsTestApp, listFlags, runSweep } from '../support/flag-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { aDose, aReceivedDose, aReleasedBatch, DoseRef } from '../support/release-fixtures';

const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

/**
 * Pain outcomes per knee bound to the dose given into it: baselines, follow-ups, the responder rule, the
 * booster candidate and the follow-up that falls due (its sweep is the expiry job's).
 */
// Fixtures hash passwords and build whole cultures through the API: slow on a busy machine, so hooks get time.
jest.setTimeout(120_000);

describe('outcomes: baselines, follow-ups, responders and their flags', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let strangerDoctor: Person;
  let banked: BankedBatch;
  let donorId: string;
  let leftDose: DoseRef;
  let baselineId: string;
  let administeredAt: number;

  const record = (body: Record<string, unknown>, who: Person = cast.doctor) =>
    t.http
      .post('/api/v1/outcomes')
      .set(...bearer(who))
      .send(body);
  const rowsOfDonor = async (id: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM outcome_assessments WHERE donor_id = $1', [id]))
      .rows[0].n as number;
  const administer = async (dose: DoseRef, site: string, code: string) => {
    const response = await t.http
      .post(`/api/v1/doses/${dose.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({ administeredAt: new Date().toISOString(), site, patientCode: code, doseLabel: dose.label });
    expect(response.status).toBe(200);
    return Date.parse(response.body.administeredAt as string);
  };

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    strangerDoctor = await aPerson(t.http, 'doctor');
    banked = await aBankedBatch(t.http, cast);
    donorId = banked.batch.donorId;
    const baseline = await record({
      donorId,
      knee: 'LEFT',
      assessedAt: ago(10 * MINUTE),
      vasPain: 70,
      koosPain: 40,
    });
    expect(baseline.status).toBe(201);
    baselineId = baseline.body.id as string;
    leftDose = await aReceivedDose(t.http, cast, banked.batch.id);
    administeredAt = await administer(leftDose, 'LEFT_KNEE', banked.batch.donorCode);
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('records a baseline without judgement', async () => {
    const outcomes = await t.http.get(`/api/v1/donors/${donorId}/outcomes`).set(...bearer(cast.doctor));
    expect(outcomes.body.knees[0].assessments[0]).toMatchObject({
      id: baselineId,
      kind: 'BASELINE',
      monthsAfter: null,
      vasReductionPct: null,
      responder: null,
    });
  });

  describe('follow-ups that contradict the record (422 VALIDATION_FAILED, nothing written)', () => {
    it('refuses a follow-up of the other knee than the dose went into', async () => {
      const before = await rowsOfDonor(donorId);
      const response = await record({
        donorId,
        knee: 'RIGHT',
        assessedAt: new Date().toISOString(),
        vasPain: 20,
        doseId: leftDose.id,
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(await rowsOfDonor(donorId)).toBe(before);
    });

    it('refuses a follow-up dated before the injection', async () => {
      const response = await record({
        donorId,
        knee: 'LEFT',
        assessedAt: new Date(administeredAt - MINUTE).toISOString(),
        vasPain: 20,
        doseId: leftDose.id,
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it("refuses another donor's dose, and a dose not administered", async () => {
      const other = await aReleasedBatch(t.http, cast);
      const otherDose = await aReceivedDose(t.http, cast, other.id);
      await administer(otherDose, 'LEFT_KNEE', other.donorCode);
      const notGiven = await aDose(t.http, cast, banked.batch.id, { cells: 1_000_000 });
      for (const doseId of [otherDose.id, notGiven.id]) {
        const response = await record({
          donorId,
          knee: 'LEFT',
          assessedAt: new Date().toISOString(),
          vasPain: 20,
          doseId,
        });
        expect(response.status).toBe(422);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      expect(await rowsOfDonor(donorId)).toBe(1);
    });
  });

  it.each([
    ['a VAS over 100 mm', { vasPain: 101 }],
    ['a VAS in fractions of a mm', { vasPain: 20.5 }],
    ['a negative KOOS', { koosPain: -1 }],
    ['an unknown knee', { knee: 'MIDDLE' }],
    ['an assessment a day ahead', { assessedAt: new Date(Date.now() + DAY).toISOString() }],
    ['a responder typed in', { responder: true }],
    ['a dose id that is not a UUID', { doseId: 'D01' }],
  ])('refuses %s (400 VALIDATION_FAILED)', async (_what, overrides) => {
    const response = await record({
      donorId,
      knee: 'LEFT',
      assessedAt: new Date().toISOString(),
      vasPain: 30,
      ...overrides,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(await rowsOfDonor(donorId)).toBe(1);
  });

  it("hides another clinic's patient and dose (404), and refuses a technician (403)", async () => {
    const body = {
      donorId,
      knee: 'LEFT',
      assessedAt: new Date().toISOString(),
      vasPain: 30,
      doseId: leftDose.id,
    };
    expect((await record(body, strangerDoctor)).status).toBe(404);
    expect(
      (await t.http.get(`/api/v1/donors/${donorId}/outcomes`).set(...bearer(strangerDoctor))).status,
    ).toBe(404);
    expect((await record(body, cast.technician)).status).toBe(403);
    expect(await rowsOfDonor(donorId)).toBe(1);
  });

  let firstFollowUpAt: string;

  it('judges a follow-up against the baseline before the dose: exactly 50 % and 35 mm down is a responder', async () => {
    firstFollowUpAt = new Date(Math.max(Date.now(), administeredAt + 1000)).toISOString();
    const response = await record({
      donorId,
      knee: 'LEFT',
      assessedAt: firstFollowUpAt,
      vasPain: 35,
      koosPain: 70,
      doseId: leftDose.id,
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      kind: 'FOLLOW_UP',
      baselineId,
      monthsAfter: 3,
      vasReductionPct: 50,
      koosPainImprovement: 30,
      responder: true,
    });
    expect((await flagRowsOf(t, donorId, 'BOOSTER_CANDIDATE')).length).toBe(0);
  });

  it('refuses the same knee assessed twice at one moment (409 DUPLICATE)', async () => {
    const response = await record({
      donorId,
      knee: 'LEFT',
      assessedAt: firstFollowUpAt,
      vasPain: 30,
      doseId: leftDose.id,
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('DUPLICATE');
  });

  it('raises BOOSTER_CANDIDATE when the responder is back at 80 % of the baseline pain with cells banked', async () => {
    const response = await record({
      donorId,
      knee: 'LEFT',
      assessedAt: new Date(Date.parse(firstFollowUpAt) + 1000).toISOString(),
      vasPain: 56,
      doseId: leftDose.id,
    });
    expect(response.body).toMatchObject({ responder: false, vasReductionPct: 20 });
    const { items } = await listFlags(t.http, cast.doctor.token, { type: 'BOOSTER_CANDIDATE' });
    const flag = items.find((f) => f.subjectId === donorId);
    expect(flag).toMatchObject({ status: 'OPEN', subjectType: 'donor', clinicId: cast.clinic.id });
    expect(flag?.details).toMatchObject({ knees: [{ knee: 'LEFT' }], bankedBatchIds: [banked.batch.id] });
  });

  it("lists the donor's knee with baseline and follow-ups, oldest first", async () => {
    const response = await t.http.get(`/api/v1/donors/${donorId}/outcomes`).set(...bearer(cast.doctor));
    expect(response.status).toBe(200);
    expect(response.body.knees).toHaveLength(1);
    expect(response.body.knees[0].assessments.map((a: { vasPain: number }) => a.vasPain)).toEqual([
      70, 35, 56,
    ]);
  });

  it('resolves BOOSTER_CANDIDATE when a booster is requested', async () => {
    await aBooster(t.http, cast.doctor, donorId, [banked.vials[0].id]);
    expect((await flagRowsOf(t, donorId, 'BOOSTER_CANDIDATE')).map((f) => f.status)).toEqual(['RESOLVED']);
  });

  it('raises FOLLOW_UP_DUE when a follow-up window opens without a follow-up, and resolves it with one', async () => {
    const rightDose = await aReceivedDose(t.http, cast, banked.batch.id, { cells: 5_000_000 });
    await administer(rightDose, 'RIGHT_KNEE', banked.batch.donorCode);
    // Three months pass: the administration moves back behind the app's back, so the 3-month window is open.
    await t.sql.query(
      `UPDATE doses SET administered_at = administered_at - interval '90 days' WHERE id = $1`,
      [rightDose.id],
    );
    await runSweep(t.http, cast.admin, 'expiry');
    const [flag] = await flagRowsOf(t, rightDose.id, 'FOLLOW_UP_DUE');
    expect(flag).toMatchObject({ status: 'OPEN' });
    const listed = (await listFlags(t.http, cast.doctor.token, { type: 'FOLLOW_UP_DUE' })).items.find(
      (f) => f.id === flag.id,
    );
    expect(listed).toMatchObject({ doseId: rightDose.id, details: { knee: 'RIGHT', month: 3 } });

    const followUp = await record({
      donorId,
      knee: 'RIGHT',
      assessedAt: new Date().toISOString(),
      vasPain: 40,
      doseId: rightDose.id,
    });
    expect(followUp.body).toMatchObject({ monthsAfter: 3, baselineId: null, responder: null });
    expect((await flagRowsOf(t, rightDose.id, 'FOLLOW_UP_DUE')).map((f) => f.status)).toEqual(['RESOLVED']);
    // A later sweep leaves it resolved: the window has its follow-up.
    await runSweep(t.http, cast.admin, 'expiry');
    expect((await flagRowsOf(t, rightDose.id, 'FOLLOW_UP_DUE')).map((f) => f.status)).toEqual(['RESOLVED']);
  });
});
