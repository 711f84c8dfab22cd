import {
  aBankedBatch,
  aBooster,
  aThawedBooster,
  frozenVials,
  positionsIn,
  aBox,
  thaw,
} from '../support/bank-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { aQcResult, aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

describe('cell bank: boosters', () => {
  let t: TestApp;
  let cast: Cast;
  let otherDoctor: Person;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    otherDoctor = await aPerson(t.http, 'doctor', await aClinic(t.http));
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (body: Record<string, unknown>, who: Person = cast.doctor) =>
    t.http
      .post('/api/v1/boosters')
      .set(...bearer(who))
      .send(body);
  const statusOf = async (vialId: string): Promise<string> =>
    (await t.sql.query('SELECT status FROM vials WHERE id = $1', [vialId])).rows[0].status;
  const formulate = (boosterId: string, body: Record<string, unknown> = {}, who: Person = cast.technician) =>
    t.http
      .post(`/api/v1/boosters/${boosterId}/doses`)
      .set(...bearer(who))
      .send({ formulatedAt: new Date().toISOString(), volumeMl: 2, ...body });

  describe('POST /boosters', () => {
    it("reserves a donor's stored vials of a released batch (201 REQUESTED)", async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 3 });
      const response = await request({
        donorId: banked.batch.donorId,
        vialIds: [banked.vials[0].id, banked.vials[1].id],
      }).expect(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        status: 'REQUESTED',
        batchId: banked.batch.id,
        dose: null,
      });
      expect(response.body.vials.map((v: { status: string }) => v.status)).toEqual(['RESERVED', 'RESERVED']);
      expect(await statusOf(banked.vials[2].id)).toBe('STORED');
      const audit = await t.sql.query(`SELECT action, actor_id FROM audit_entries WHERE entity_id = $1`, [
        response.body.id,
      ]);
      expect(audit.rows).toEqual([{ action: 'booster.requested', actor_id: cast.doctor.id }]);
      const vial = await t.http
        .get(`/api/v1/vials/${banked.vials[0].id}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(vial.body.history.map((h: { event: string }) => h.event)).toEqual(['FROZEN', 'RESERVED']);
    });

    it('is for doctors only (403)', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      for (const who of [cast.technician, cast.qa]) {
        await request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }, who).expect(403);
      }
      await t.http
        .post('/api/v1/boosters')
        .set(...bearer(cast.admin))
        .send({})
        .expect(403);
    });

    it('answers 404 to a doctor of another clinic, for the donor and for the vials', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      const response = await request(
        { donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] },
        otherDoctor,
      ).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
      const unknown = await request({
        donorId: banked.batch.donorId,
        vialIds: ['00000000-0000-4000-8000-000000000000'],
      }).expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(await statusOf(banked.vials[0].id)).toBe('STORED');
    });

    it('checks its input (400)', async () => {
      const bad = await request({ donorId: 'x', vialIds: [] }).expect(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'donorId',
        'vialIds',
      ]);
    });

    it('refuses vials of an unreleased batch (422 VIAL_NOT_AVAILABLE)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const response = await request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }).expect(
        422,
      );
      expect(response.body.code).toBe('VIAL_NOT_AVAILABLE');
      expect(await statusOf(banked.vials[0].id)).toBe('STORED');
    });

    it("refuses another donor's vials, vials already reserved, and vials of two batches (422 VIAL_NOT_AVAILABLE)", async () => {
      const mine = await aBankedBatch(t.http, cast, { vials: 2 });
      const theirs = await aBankedBatch(t.http, cast, { vials: 1 });
      const foreign = await request({ donorId: mine.batch.donorId, vialIds: [theirs.vials[0].id] }).expect(
        422,
      );
      expect(foreign.body.code).toBe('VIAL_NOT_AVAILABLE');
      const mixed = await request({
        donorId: mine.batch.donorId,
        vialIds: [mine.vials[0].id, theirs.vials[0].id],
      }).expect(422);
      expect(mixed.body.code).toBe('VIAL_NOT_AVAILABLE');
      await aBooster(t.http, cast.doctor, mine.batch.donorId, [mine.vials[0].id]);
      const twice = await request({
        donorId: mine.batch.donorId,
        vialIds: [mine.vials[0].id, mine.vials[1].id],
      }).expect(422);
      expect(twice.body.code).toBe('VIAL_NOT_AVAILABLE');
      expect(await statusOf(mine.vials[1].id)).toBe('STORED');
    });

    it('refuses vials of a batch recalled after a positive sterility result (422 VIAL_NOT_AVAILABLE)', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      await aQcResult(t.http, banked.batch.id, cast.technician.token, {
        test: 'STERILITY',
        result: 'POSITIVE',
        testedAt: new Date().toISOString(),
      });
      const response = await request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }).expect(
        422,
      );
      expect(response.body.code).toBe('VIAL_NOT_AVAILABLE');
    });

    it('refuses vials of a batch that failed QC after release, until QA corrects the failure', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      const failed = await aQcResult(t.http, banked.batch.id, cast.technician.token, {
        test: 'ENDOTOXIN',
        value: 1.2,
        unit: 'EU/mL',
        testedAt: new Date().toISOString(),
      });
      expect(failed.outcome).toBe('FAIL');
      const refused = await request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }).expect(
        422,
      );
      expect(refused.body.code).toBe('VIAL_NOT_AVAILABLE');
      await aQcResult(t.http, banked.batch.id, cast.qa.token, {
        test: 'ENDOTOXIN',
        value: 0.1,
        unit: 'EU/mL',
        testedAt: new Date().toISOString(),
        correctsId: failed.id,
        reason: 'OOS investigation: sampling error, retest passes',
      });
      await request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }).expect(201);
    });

    it('lets exactly one of concurrent requests for one vial reserve it', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          request({ donorId: banked.batch.donorId, vialIds: [banked.vials[0].id] }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422, 422]);
      const boosters = await t.sql.query('SELECT count(*)::int AS n FROM boosters WHERE donor_id = $1', [
        banked.batch.donorId,
      ]);
      expect(boosters.rows[0].n).toBe(1);
    });
  });

  describe('GET /boosters/:id', () => {
    it('shows the booster with its vials and dose to staff and to the doctor of its clinic only', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 1 });
      const booster = await aBooster(t.http, cast.doctor, banked.batch.donorId, [banked.vials[0].id]);
      for (const who of [cast.doctor, cast.technician, cast.qa, cast.admin]) {
        const response = await t.http
          .get(`/api/v1/boosters/${booster.id}`)
          .set(...bearer(who))
          .expect(200);
        expect(response.body).toMatchObject({
          id: booster.id,
          status: 'REQUESTED',
          vials: [{ id: banked.vials[0].id }],
          dose: null,
        });
      }
      await t.http
        .get(`/api/v1/boosters/${booster.id}`)
        .set(...bearer(otherDoctor))
        .expect(404);
      await t.http
        .get('/api/v1/boosters/nope')
        .set(...bearer(cast.doctor))
        .expect(400);
    });
  });

  describe('POST /boosters/:id/doses', () => {
    it('makes one booster dose <DIN>-B01 from the thawed vials, administered like any dose', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      const vials = await frozenVials(t.http, cast.technician, batch.id, [
        { boxId: box.id, row: 1, col: 1, cells: 3_333_333 },
        { boxId: box.id, row: 1, col: 2, cells: 5_000_000 },
      ]);
      const booster = await aBooster(
        t.http,
        cast.doctor,
        batch.donorId,
        vials.map((v) => v.id),
      );
      expect(
        (await thaw(t.http, cast.technician, vials[0].id, cast.technician2, { postThawViabilityPct: 77.77 }))
          .status,
      ).toBe(200);
      expect(
        (await thaw(t.http, cast.technician, vials[1].id, cast.qa, { postThawViabilityPct: 90 })).status,
      ).toBe(200);
      const formulatedAt = new Date().toISOString();
      const response = await formulate(booster.id, { formulatedAt, volumeMl: 2.5 }).expect(201);
      expect(response.body).toMatchObject({
        label: `${batch.din}-B01`,
        kind: 'BOOSTER',
        boosterId: booster.id,
        status: 'FORMULATED',
        cells: Math.floor((3_333_333 * 77.77) / 100) + 4_500_000,
        expiresAt: new Date(Date.parse(formulatedAt) + 6 * HOUR).toISOString(),
      });
      const shown = await t.http
        .get(`/api/v1/boosters/${booster.id}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(shown.body).toMatchObject({ status: 'FORMULATED', dose: { id: response.body.id } });

      const dose = response.body as { id: string; label: string };
      await t.http
        .post(`/api/v1/doses/${dose.id}/dispatch`)
        .set(...bearer(cast.technician))
        .send({ dispatchedAt: new Date().toISOString() })
        .expect(200);
      await t.http
        .post(`/api/v1/doses/${dose.id}/receipt`)
        .set(...bearer(cast.doctor))
        .send({ receivedAt: new Date().toISOString(), temperatureC: 5, intact: true })
        .expect(200);
      const given = await t.http
        .post(`/api/v1/doses/${dose.id}/administration`)
        .set(...bearer(cast.doctor))
        .send({
          administeredAt: new Date().toISOString(),
          site: 'LEFT_KNEE',
          patientCode: batch.donorCode,
          doseLabel: dose.label,
        })
        .expect(200);
      expect(given.body.status).toBe('ADMINISTERED');

      const again = await formulate(booster.id).expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
    });

    it('needs every vial of the booster THAWED (409 INVALID_TRANSITION)', async () => {
      const more = await aBankedBatch(t.http, cast, { vials: 2 });
      const booster = await aBooster(
        t.http,
        cast.doctor,
        more.batch.donorId,
        more.vials.map((v) => v.id),
      );
      expect((await thaw(t.http, cast.technician, more.vials[0].id, cast.technician2)).status).toBe(200);
      const response = await formulate(booster.id).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
      const doses = await t.sql.query('SELECT count(*)::int AS n FROM doses WHERE booster_id = $1', [
        booster.id,
      ]);
      expect(doses.rows[0].n).toBe(0);
    });

    it('needs post-thaw viability within the batch specification (422 QC_NOT_PASSED)', async () => {
      const more = await aBankedBatch(t.http, cast, { vials: 2 });
      const booster = await aThawedBooster(t.http, cast, more, { postThawViabilityPct: 65 });
      const response = await formulate(booster.id).expect(422);
      expect(response.body.code).toBe('QC_NOT_PASSED');
    });

    it('is for technicians (403), checks its input (400) and the booster (404)', async () => {
      await formulate('00000000-0000-4000-8000-000000000000').expect(404);
      const more = await aBankedBatch(t.http, cast, { vials: 1 });
      const booster = await aThawedBooster(t.http, cast, more);
      await formulate(booster.id, {}, cast.doctor).expect(403);
      await formulate(booster.id, {}, cast.qa).expect(403);
      const bad = await formulate(booster.id, { volumeMl: 0 }).expect(400);
      expect(bad.body.details.fields[0].field).toBe('volumeMl');
      const early = await formulate(booster.id, {
        formulatedAt: new Date(Date.now() - HOUR).toISOString(),
      }).expect(400);
      expect(early.body.details.fields[0].field).toBe('formulatedAt');
      await formulate(booster.id).expect(201);
    });

    it('refuses a booster dose once the batch was recalled after the thaw (422 VIAL_NOT_AVAILABLE)', async () => {
      const more = await aBankedBatch(t.http, cast, { vials: 1 });
      const booster = await aThawedBooster(t.http, cast, more);
      await aQcResult(t.http, more.batch.id, cast.technician.token, {
        test: 'MYCOPLASMA',
        result: 'POSITIVE',
        testedAt: new Date().toISOString(),
      });
      const response = await formulate(booster.id).expect(422);
      expect(response.body.code).toBe('VIAL_NOT_AVAILABLE');
    });
  });

  it('keeps frozen vials, their boosters and booster doses in the positions index only while in the tank', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin, { rows: 1, cols: 1 });
    const [vial] = await frozenVials(t.http, cast.technician, batch.id, positionsIn(box, 1));
    await aBooster(t.http, cast.doctor, batch.donorId, [vial.id]);
    expect((await thaw(t.http, cast.technician, vial.id, cast.technician2)).status).toBe(200);
    const free = await t.http
      .get(`/api/v1/storage-units/${box.id}/free-positions`)
      .set(...bearer(cast.technician))
      .expect(200);
    expect(free.body).toEqual([{ boxId: box.id, row: 1, col: 1 }]);
  });
});
