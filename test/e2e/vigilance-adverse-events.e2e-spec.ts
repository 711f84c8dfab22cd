import { aBooster, frozenVials, positionsIn, aBox, thaw } from '../support/bank-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import {
  aJobsApp,
  flagRowsOf,
  flagWithin,
  JobsTestApp,
  listFlags,
  runSweep,
  sleep,
} from '../support/flag-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { aReleasedBatch, DoseRef, ReleasedBatch } from '../support/release-fixtures';
import {
  AdverseEventView,
  anAdministeredDose,
  anAdverseEvent,
  daysAgo,
  recordAdverseEvent,
} from '../support/vigilance-fixtures';

const DAY = 24 * 3600 * 1000;
const FLAG = 'ADVERSE_EVENT_REPORT_DUE';

/**
 * Adverse events (docs/vigilance.md): the ASRM's reporting clocks, the report-due flag raised within 5 s and
 * marked overdue, the signed report and close, and the clinic scope.
 */
describe('vigilance: adverse events, clocks, report and close', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let otherDoctor: Person;
  let batch: ReleasedBatch;
  let dose: DoseRef;

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    otherDoctor = await aPerson(t.http, 'doctor', await aClinic(t.http));
    batch = await aReleasedBatch(t.http, cast);
    dose = await anAdministeredDose(t.http, cast, batch);
  }, 120_000);
  afterAll(async () => {
    await t.dispose();
  });

  const event = (body: Record<string, unknown>, who: Person = cast.doctor): Promise<AdverseEventView> =>
    anAdverseEvent(t.http, who, { donorId: batch.donorId, doseId: dose.id, ...body });
  const report = (id: string, who: Person = cast.doctor, body: Record<string, unknown> = {}) =>
    t.http
      .post(`/api/v1/adverse-events/${id}/report`)
      .set(...bearer(who))
      .send({
        reportedAt: new Date().toISOString(),
        reference: 'MHLW-TEST-1',
        password: who.password,
        ...body,
      });
  const close = (id: string, body: Record<string, unknown> = {}, who: Person = cast.qa) =>
    t.http
      .post(`/api/v1/adverse-events/${id}/close`)
      .set(...bearer(who))
      .send({
        causality: 'UNLIKELY',
        conclusion: 'Joint fluid culture negative',
        password: who.password,
        ...body,
      });
  const stored = async (id: string): Promise<Record<string, unknown>> =>
    (
      await t.sql.query(
        'SELECT status, reported_at, report_signature, closed_at, causality FROM adverse_events WHERE id = $1',
        [id],
      )
    ).rows[0];
  const count = async (): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM adverse_events')).rows[0].n as number;

  describe('reporting clocks', () => {
    it.each(['DEATH', 'LIFE_THREATENING'])(
      'gives %s a report due 7 days after knownAt',
      async (seriousness) => {
        const knownAt = daysAgo(1);
        const recorded = await event({ seriousness, knownAt });
        expect(recorded.status).toBe('OPEN');
        expect(Date.parse(recorded.reportDueAt as string)).toBe(Date.parse(knownAt) + 7 * DAY);
        expect(recorded.overdue).toBe(false);
      },
    );

    it.each(['HOSPITALIZATION', 'DISABILITY', 'CONGENITAL_ANOMALY', 'OTHER_SERIOUS'])(
      'gives %s a report due 15 days after knownAt',
      async (seriousness) => {
        const knownAt = daysAgo(2);
        const recorded = await event({ seriousness, knownAt });
        expect(Date.parse(recorded.reportDueAt as string)).toBe(Date.parse(knownAt) + 15 * DAY);
      },
    );

    it('gives a NON_SERIOUS event no clock and raises no flag', async () => {
      const recorded = await event({ seriousness: 'NON_SERIOUS' });
      expect(recorded.reportDueAt).toBeNull();
      expect(recorded.overdue).toBe(false);
      await sleep(1500);
      expect(await flagRowsOf(t, recorded.id, FLAG)).toEqual([]);
    });

    it('starts the clock now when knownAt is left out', async () => {
      const before = Date.now();
      const recorded = await event({ seriousness: 'DEATH', onsetAt: daysAgo(1) });
      const due = Date.parse(recorded.reportDueAt as string) - 7 * DAY;
      expect(due).toBeGreaterThanOrEqual(before - 1000);
      expect(due).toBeLessThanOrEqual(Date.now() + 1000);
      expect(Date.parse(recorded.knownAt)).toBe(due);
    });

    it('makes an event known 8 days ago with a 7-day clock overdue at once, flag included', async () => {
      const recorded = await event({ seriousness: 'LIFE_THREATENING', knownAt: daysAgo(8) });
      expect(recorded.overdue).toBe(true);
      const flag = await flagWithin(t.http, cast.doctor.token, { type: FLAG, subjectId: recorded.id });
      expect(flag.details).toMatchObject({ overdue: true, reportDueAt: recorded.reportDueAt });
      expect(flag.clinicId).toBe(cast.clinic.id);
    });
  });

  describe('the report-due flag', () => {
    it('is raised within 5 s, marked overdue by the sweep once past due, and resolved by the report', async () => {
      // Due 4 seconds from now: knownAt is 7 days less 4 seconds ago.
      const knownAt = new Date(Date.now() - 7 * DAY + 4000).toISOString();
      const recorded = await event({ seriousness: 'DEATH', knownAt });
      const raised = await flagWithin(t.http, cast.doctor.token, { type: FLAG, subjectId: recorded.id });
      expect(raised.details).toMatchObject({ overdue: false, reportDueAt: recorded.reportDueAt });
      expect(raised.batchId).toBe(batch.id);
      expect(raised.doseId).toBe(dose.id);
      await sleep(Math.max(0, Date.parse(recorded.reportDueAt as string) - Date.now()) + 200);
      await runSweep(t.http, cast.admin, 'vigilance');
      const { items } = await listFlags(t.http, cast.qa.token, { type: FLAG, status: 'OPEN', limit: 200 });
      const overdue = items.filter((flag) => flag.subjectId === recorded.id);
      expect(overdue).toHaveLength(1);
      expect(overdue[0].details).toMatchObject({ overdue: true, reportDueAt: recorded.reportDueAt });

      const reported = await report(recorded.id).expect(200);
      expect(reported.body).toMatchObject({ status: 'REPORTED', late: true });
      await flagWithin(t.http, cast.qa.token, { type: FLAG, subjectId: recorded.id, status: 'RESOLVED' });
      expect(await flagRowsOf(t, recorded.id, FLAG)).toHaveLength(1);
    });
  });

  describe('the signed report', () => {
    it('refuses a wrong password (422 SIGNATURE_INVALID) and writes nothing', async () => {
      const recorded = await event({ seriousness: 'HOSPITALIZATION' });
      const response = await report(recorded.id, cast.doctor, { password: 'not-the-password' }).expect(422);
      expect(response.body.code).toBe('SIGNATURE_INVALID');
      expect(await stored(recorded.id)).toMatchObject({
        status: 'OPEN',
        reported_at: null,
        report_signature: null,
      });
    });

    it('reports once: a second report is 409 ALREADY_DECIDED; on time it is not late', async () => {
      const recorded = await event({ seriousness: 'OTHER_SERIOUS' });
      const first = await report(recorded.id, cast.qa).expect(200);
      expect(first.body).toMatchObject({ status: 'REPORTED', late: false });
      const second = await report(recorded.id, cast.doctor, { reference: 'MHLW-TEST-2' }).expect(409);
      expect(second.body.code).toBe('ALREADY_DECIDED');
      const row = await stored(recorded.id);
      expect(row.status).toBe('REPORTED');
      const audit = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'adverse_event.reported'`,
        [recorded.id],
      );
      expect(audit.rows[0].n).toBe(1);
    });

    it('lets exactly one of two concurrent reports win', async () => {
      const recorded = await event({ seriousness: 'DISABILITY' });
      const answers = await Promise.all([report(recorded.id, cast.doctor), report(recorded.id, cast.qa)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)?.body.code).toBe('ALREADY_DECIDED');
    });

    it('refuses a reportedAt before knownAt (400) and writes nothing', async () => {
      const recorded = await event({ seriousness: 'DEATH', knownAt: daysAgo(1) });
      const response = await report(recorded.id, cast.doctor, { reportedAt: daysAgo(2) }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect((await stored(recorded.id)).status).toBe('OPEN');
    });
  });

  describe('closing', () => {
    it('refuses to close a serious event before its report (409 INVALID_TRANSITION)', async () => {
      const recorded = await event({ seriousness: 'HOSPITALIZATION' });
      const response = await close(recorded.id).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
      expect((await stored(recorded.id)).status).toBe('OPEN');
    });

    it('closes a reported event once with the signature; again is 409 ALREADY_DECIDED', async () => {
      const recorded = await event({ seriousness: 'HOSPITALIZATION' });
      await report(recorded.id).expect(200);
      const closed = await close(recorded.id, { causality: 'POSSIBLY_RELATED' }).expect(200);
      expect(closed.body).toMatchObject({
        status: 'CLOSED',
        event: { closure: { causality: 'POSSIBLY_RELATED' } },
      });
      const again = await close(recorded.id, { causality: 'UNRELATED' }).expect(409);
      expect(again.body.code).toBe('ALREADY_DECIDED');
      expect(await stored(recorded.id)).toMatchObject({ status: 'CLOSED', causality: 'POSSIBLY_RELATED' });
    });

    it('closes a non-serious event without a report, after which it cannot be reported (409)', async () => {
      const recorded = await event({ seriousness: 'NON_SERIOUS' });
      await close(recorded.id).expect(200);
      const response = await report(recorded.id).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
    });

    it('is for QA only (a doctor is 403) and signed (a wrong password is 422)', async () => {
      const recorded = await event({ seriousness: 'NON_SERIOUS' });
      expect((await close(recorded.id, {}, cast.doctor)).status).toBe(403);
      const wrong = await close(recorded.id, { password: 'not-the-password' }).expect(422);
      expect(wrong.body.code).toBe('SIGNATURE_INVALID');
      expect(await stored(recorded.id)).toMatchObject({ status: 'OPEN', closed_at: null });
    });
  });

  describe('recording', () => {
    it("refuses a dose that is not the donor's or not administered (422 VALIDATION_FAILED), writing nothing", async () => {
      const other = await aReleasedBatch(t.http, cast);
      const otherDose = await anAdministeredDose(t.http, cast, other);
      const before = await count();
      const notTheirs = await recordAdverseEvent(t.http, cast.doctor, {
        donorId: batch.donorId,
        doseId: otherDose.id,
        seriousness: 'DEATH',
      });
      expect(notTheirs.status).toBe(422);
      expect(notTheirs.body.code).toBe('VALIDATION_FAILED');
      const formulated = await t.http
        .post(`/api/v1/batches/${batch.id}/doses`)
        .set(...bearer(cast.technician))
        .send({ cells: 1_000_000, volumeMl: 2, formulatedAt: new Date().toISOString() })
        .expect(201);
      const notGiven = await recordAdverseEvent(t.http, cast.doctor, {
        donorId: batch.donorId,
        doseId: formulated.body.id,
        seriousness: 'DEATH',
      });
      expect(notGiven.status).toBe(422);
      expect(notGiven.body.code).toBe('VALIDATION_FAILED');
      const backwards = await recordAdverseEvent(t.http, cast.doctor, {
        donorId: batch.donorId,
        seriousness: 'DEATH',
        onsetAt: daysAgo(1),
        knownAt: daysAgo(2),
      });
      expect(backwards.status).toBe(400);
      const badClass = await recordAdverseEvent(t.http, cast.doctor, {
        donorId: batch.donorId,
        seriousness: 'MILD',
      });
      expect(badClass.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('is refused to a technician (403)', async () => {
      const response = await recordAdverseEvent(t.http, cast.technician, {
        donorId: batch.donorId,
        seriousness: 'DEATH',
      });
      expect(response.status).toBe(403);
    });
  });

  describe('clinic scope', () => {
    it("hides a clinic's events from another clinic's doctor (404, and absent from lists)", async () => {
      const recorded = await event({ seriousness: 'DEATH' });
      const get = await t.http.get(`/api/v1/adverse-events/${recorded.id}`).set(...bearer(otherDoctor));
      expect(get.status).toBe(404);
      expect((await report(recorded.id, otherDoctor)).status).toBe(404);
      const theirs = await recordAdverseEvent(t.http, otherDoctor, {
        donorId: batch.donorId,
        seriousness: 'DEATH',
      });
      expect(theirs.status).toBe(404);
      const list = await t.http
        .get('/api/v1/adverse-events')
        .query({ limit: 200 })
        .set(...bearer(otherDoctor));
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      const asked = await t.http
        .get('/api/v1/adverse-events')
        .query({ clinicId: cast.clinic.id })
        .set(...bearer(otherDoctor));
      expect(asked.body.items).toEqual([]);
      const own = await t.http
        .get('/api/v1/adverse-events')
        .query({ limit: 200 })
        .set(...bearer(cast.doctor));
      expect(own.body.items.map((e: { id: string }) => e.id)).toContain(recorded.id);
      expect(own.body.items.every((e: { clinicId: string }) => e.clinicId === cast.clinic.id)).toBe(true);
      await flagWithin(t.http, cast.doctor.token, { type: FLAG, subjectId: recorded.id });
      const flags = await t.http
        .get('/api/v1/flags')
        .query({ type: FLAG, limit: 200 })
        .set(...bearer(otherDoctor));
      expect(flags.body.items).toEqual([]);
    });

    it('lists by status and clinic for QA', async () => {
      const recorded = await event({ seriousness: 'NON_SERIOUS' });
      const list = await t.http
        .get('/api/v1/adverse-events')
        .query({ status: 'OPEN', clinicId: cast.clinic.id, limit: 200 })
        .set(...bearer(cast.qa))
        .expect(200);
      expect(list.body.items.map((e: { id: string }) => e.id)).toContain(recorded.id);
      expect(list.body.items.every((e: { status: string }) => e.status === 'OPEN')).toBe(true);
    });
  });

  describe('suspected infection', () => {
    it("holds the batch's banked vials (no booster, no thaw) until closed UNLIKELY or UNRELATED", async () => {
      const banked = await aReleasedBatch(t.http, cast);
      const given = await anAdministeredDose(t.http, cast, banked);
      const { box } = await aBox(t.http, cast.admin);
      const vials = await frozenVials(t.http, cast.technician, banked.id, positionsIn(box, 3));
      // One vial reserved for a booster before the event: the hold must stop its thaw too.
      const booster = await aBooster(t.http, cast.doctor, banked.donorId, [vials[0].id]);
      expect(booster.batchId).toBe(banked.id);
      const recorded = await anAdverseEvent(t.http, cast.doctor, {
        donorId: banked.donorId,
        doseId: given.id,
        seriousness: 'HOSPITALIZATION',
        suspectedInfection: true,
      });
      const reserve = await t.http
        .post('/api/v1/boosters')
        .set(...bearer(cast.doctor))
        .send({ donorId: banked.donorId, vialIds: [vials[1].id] });
      expect(reserve.status).toBe(422);
      expect(reserve.body.code).toBe('VIAL_NOT_AVAILABLE');
      const thawed = await thaw(t.http, cast.technician, vials[0].id, cast.technician2);
      expect(thawed.status).toBe(422);
      expect(thawed.body.code).toBe('VIAL_NOT_AVAILABLE');
      const vialStatus = await t.sql.query('SELECT status FROM vials WHERE id = $1', [vials[0].id]);
      expect(vialStatus.rows[0].status).toBe('RESERVED');

      const withLookback = await t.http.get(`/api/v1/adverse-events/${recorded.id}`).set(...bearer(cast.qa));
      expect(withLookback.body.lookback.bankedVials.map((v: { held: boolean }) => v.held)).toEqual([
        true,
        true,
        true,
      ]);

      await report(recorded.id).expect(200);
      const closed = await close(recorded.id, { causality: 'UNRELATED' }).expect(200);
      expect([...closed.body.vialsReleased].sort()).toEqual(vials.map((v) => v.id).sort());
      await t.http
        .post('/api/v1/boosters')
        .set(...bearer(cast.doctor))
        .send({ donorId: banked.donorId, vialIds: [vials[1].id] })
        .expect(201);
      expect((await thaw(t.http, cast.technician, vials[0].id, cast.technician2)).status).toBe(200);
    });

    it('keeps the hold when QA concludes the cells are related', async () => {
      const banked = await aReleasedBatch(t.http, cast);
      const given = await anAdministeredDose(t.http, cast, banked);
      const { box } = await aBox(t.http, cast.admin);
      const vials = await frozenVials(t.http, cast.technician, banked.id, positionsIn(box, 2));
      const recorded = await anAdverseEvent(t.http, cast.doctor, {
        donorId: banked.donorId,
        doseId: given.id,
        seriousness: 'LIFE_THREATENING',
        suspectedInfection: true,
      });
      await report(recorded.id).expect(200);
      const closed = await close(recorded.id, { causality: 'RELATED' }).expect(200);
      expect(closed.body.vialsReleased).toEqual([]);
      const open = await t.sql.query(
        'SELECT count(*)::int AS n FROM vial_holds WHERE source_id = $1 AND released_at IS NULL',
        [recorded.id],
      );
      expect(open.rows[0].n).toBe(vials.length);
    });
  });

  describe('look-back', () => {
    it('finds the batch, its other doses and every batch that shared a lot, with their doses', async () => {
      const lot = await aMaterialLot(t.http, cast.qa);
      const unrelatedLot = await aMaterialLot(t.http, cast.qa, { kind: 'MEDIUM' });
      const first = await aReleasedBatch(t.http, cast);
      const second = await aReleasedBatch(t.http, cast);
      const third = await aReleasedBatch(t.http, cast);
      const otherCast = await aCast(t.http);
      const elsewhere = await aReleasedBatch(t.http, otherCast);
      const suspect = await anAdministeredDose(t.http, cast, first, { materialLotIds: [lot.id] });
      const sibling = await anAdministeredDose(t.http, cast, first);
      const sharer = await anAdministeredDose(t.http, cast, second, {
        materialLotIds: [lot.id, unrelatedLot.id],
      });
      await anAdministeredDose(t.http, cast, third, { materialLotIds: [unrelatedLot.id] });
      const farSharer = await anAdministeredDose(t.http, otherCast, elsewhere, { materialLotIds: [lot.id] });
      const recorded = await anAdverseEvent(t.http, cast.doctor, {
        donorId: first.donorId,
        doseId: suspect.id,
        seriousness: 'DEATH',
      });

      const asQa = await t.http
        .get(`/api/v1/adverse-events/${recorded.id}`)
        .set(...bearer(cast.qa))
        .expect(200);
      const { lookback } = asQa.body;
      expect(lookback.batch).toMatchObject({ id: first.id, din: first.din, clinicId: cast.clinic.id });
      expect(lookback.otherDoses).toEqual([
        expect.objectContaining({
          id: sibling.id,
          status: 'ADMINISTERED',
          administration: expect.objectContaining({ patientCode: first.donorCode, clinicId: cast.clinic.id }),
        }),
      ]);
      const byId = new Map(lookback.sharedLotBatches.map((b: { id: string }) => [b.id, b]));
      expect([...byId.keys()].sort()).toEqual([second.id, elsewhere.id].sort());
      expect(byId.get(second.id)).toMatchObject({
        din: second.din,
        sharedLots: [{ lotId: lot.id, lotNumber: lot.lotNumber }],
        doses: [
          expect.objectContaining({
            id: sharer.id,
            administration: expect.objectContaining({ patientCode: second.donorCode }),
          }),
        ],
      });
      expect(byId.get(elsewhere.id)).toMatchObject({
        clinicId: otherCast.clinic.id,
        doses: [expect.objectContaining({ id: farSharer.id })],
      });

      // The doctor sees their own clinic's batches only: the other clinic's does not exist for them.
      const asDoctor = await t.http
        .get(`/api/v1/adverse-events/${recorded.id}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(asDoctor.body.lookback.sharedLotBatches.map((b: { id: string }) => b.id)).toEqual([second.id]);
    });

    it('is empty for an event that names no dose', async () => {
      const recorded = await anAdverseEvent(t.http, cast.doctor, {
        donorId: batch.donorId,
        seriousness: 'NON_SERIOUS',
      });
      const response = await t.http
        .get(`/api/v1/adverse-events/${recorded.id}`)
        .set(...bearer(cast.admin))
        .expect(200);
      expect(response.body.lookback).toEqual({
        batch: null,
        otherDoses: [],
        sharedLotBatches: [],
        bankedVials: [],
      });
    });
  });
});
