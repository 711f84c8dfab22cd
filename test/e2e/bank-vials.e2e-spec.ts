import {
  aBankedBatch,
  aBooster,
  aBox,
  BankedBatch,
  DOUBLE_OCCUPANCY_SQL,
  frozenVials,
  positionsIn,
  thaw,
} from '../support/bank-fixtures';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

describe('cell bank: vials (reads, moves, witnessed thaws, discards)', () => {
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

  const getVial = (id: string, who: Person | string = cast.qa) =>
    t.http.get(`/api/v1/vials/${id}`).set(...bearer(who));
  const liveAt = async (boxId: string, row: number, col: number): Promise<number> =>
    (
      await t.sql.query(
        `SELECT count(*)::int AS n FROM vials WHERE box_id = $1 AND pos_row = $2 AND pos_col = $3 AND status IN ('STORED', 'RESERVED')`,
        [boxId, row, col],
      )
    ).rows[0].n;

  describe('reads', () => {
    let banked: BankedBatch;
    beforeAll(async () => {
      banked = await aBankedBatch(t.http, cast, { released: false, vials: 3 });
    });

    it('shows a vial by id and by label, with its position and history, to every role', async () => {
      const vial = banked.vials[0];
      for (const who of [cast.admin, cast.qa, cast.technician, cast.doctor]) {
        const byId = await getVial(vial.id, who).expect(200);
        expect(byId.body).toMatchObject({
          id: vial.id,
          label: vial.label,
          status: 'STORED',
          batchId: banked.batch.id,
          donorId: banked.batch.donorId,
          position: { boxId: banked.box.id, row: 1, col: 1 },
          boxId: banked.box.id,
          row: 1,
          col: 1,
          nextReviewAt: vial.nextReviewAt,
        });
        expect(byId.body.history).toHaveLength(1);
        const byLabel = await t.http
          .get(`/api/v1/vials/by-label/${vial.label}`)
          .set(...bearer(who))
          .expect(200);
        expect(byLabel.body).toEqual(byId.body);
      }
    });

    it("hides another clinic's vials from a doctor (404), by id, by label and in lists", async () => {
      const vial = banked.vials[0];
      expect((await getVial(vial.id, otherDoctor).expect(404)).body.code).toBe('NOT_FOUND');
      await t.http
        .get(`/api/v1/vials/by-label/${vial.label}`)
        .set(...bearer(otherDoctor))
        .expect(404);
      const list = await t.http
        .get(`/api/v1/vials?batchId=${banked.batch.id}`)
        .set(...bearer(otherDoctor))
        .expect(200);
      expect(list.body).toEqual({ items: [], nextCursor: null });
    });

    it('lists vials newest first, filtered by batch, donor and status, a page at a time', async () => {
      const first = await t.http
        .get(`/api/v1/vials?batchId=${banked.batch.id}&limit=2`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0].history).toHaveLength(1);
      const second = await t.http
        .get(`/api/v1/vials?batchId=${banked.batch.id}&limit=2&cursor=${first.body.nextCursor}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(second.body.nextCursor).toBeNull();
      const labels = [...first.body.items, ...second.body.items]
        .map((v: { label: string }) => v.label)
        .sort();
      expect(labels).toEqual(banked.vials.map((v) => v.label).sort());
      const byDonor = await t.http
        .get(`/api/v1/vials?donorId=${banked.batch.donorId}&status=STORED`)
        .set(...bearer(cast.admin))
        .expect(200);
      expect(byDonor.body.items).toHaveLength(3);
      const thawed = await t.http
        .get(`/api/v1/vials?donorId=${banked.batch.donorId}&status=THAWED`)
        .set(...bearer(cast.admin))
        .expect(200);
      expect(thawed.body.items).toEqual([]);
    });

    it('answers 400 for a bad id, status or cursor, and 404 for an unknown vial or label', async () => {
      expect((await getVial('V001').expect(400)).body.code).toBe('VALIDATION_FAILED');
      await t.http
        .get('/api/v1/vials?status=FROZEN')
        .set(...bearer(cast.qa))
        .expect(400);
      await t.http
        .get('/api/v1/vials?cursor=garbage')
        .set(...bearer(cast.qa))
        .expect(400);
      await getVial('00000000-0000-4000-8000-000000000000').expect(404);
      await t.http
        .get('/api/v1/vials/by-label/X999900000000-V001')
        .set(...bearer(cast.qa))
        .expect(404);
    });
  });

  describe('POST /vials/:id/move', () => {
    const move = (vialId: string, body: Record<string, unknown>, who: Person = cast.technician) =>
      t.http
        .post(`/api/v1/vials/${vialId}/move`)
        .set(...bearer(who))
        .send({ reason: 'Tank maintenance', ...body });

    it('moves a vial, freeing its old position and writing history and audit with the reason', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const { box: target } = await aBox(t.http, cast.admin);
      const vial = banked.vials[0];
      const response = await move(vial.id, { boxId: target.id, row: 4, col: 5 }).expect(200);
      expect(response.body).toMatchObject({
        status: 'STORED',
        position: { boxId: target.id, row: 4, col: 5 },
      });
      expect(response.body.history.map((h: { event: string }) => h.event)).toEqual(['FROZEN', 'MOVED']);
      expect(response.body.history[1]).toMatchObject({
        fromPosition: { boxId: banked.box.id, row: 1, col: 1 },
        position: { boxId: target.id, row: 4, col: 5 },
        reason: 'Tank maintenance',
        actorId: cast.technician.id,
      });
      expect(await liveAt(banked.box.id, 1, 1)).toBe(0);
      const audit = await t.sql.query(
        `SELECT action, reason FROM audit_entries WHERE entity_id = $1 ORDER BY seq`,
        [vial.id],
      );
      expect(audit.rows).toEqual([
        { action: 'vial.frozen', reason: null },
        { action: 'vial.moved', reason: 'Tank maintenance' },
      ]);
    });

    it('is for technicians only (403)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      for (const who of [cast.qa, cast.doctor])
        await move(banked.vials[0].id, { boxId: banked.box.id, row: 2, col: 2 }, who).expect(403);
    });

    it('refuses a taken position (409 POSITION_OCCUPIED), including its own', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const taken = await move(banked.vials[0].id, { boxId: banked.box.id, row: 1, col: 2 }).expect(409);
      expect(taken.body.code).toBe('POSITION_OCCUPIED');
      const own = await move(banked.vials[0].id, { boxId: banked.box.id, row: 1, col: 1 }).expect(409);
      expect(own.body.code).toBe('POSITION_OCCUPIED');
    });

    it('refuses a position outside the box (400), a box id that is not a box (404), no reason (400)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const { rack, box: small } = await aBox(t.http, cast.admin, { rows: 2, cols: 2 });
      const outside = await move(banked.vials[0].id, { boxId: small.id, row: 3, col: 1 }).expect(400);
      expect(outside.body.details.fields[0].field).toBe('boxId');
      await move(banked.vials[0].id, { boxId: rack.id, row: 1, col: 1 }).expect(404);
      const noReason = await t.http
        .post(`/api/v1/vials/${banked.vials[0].id}/move`)
        .set(...bearer(cast.technician))
        .send({ boxId: small.id, row: 1, col: 1 })
        .expect(400);
      expect(noReason.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
      expect((await getVial(banked.vials[0].id)).body.history).toHaveLength(1);
    });

    it('refuses a freezer box or a tank of the other biohazard class (422 STORAGE_UNSUITABLE)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const { box: freezerBox } = await aBox(t.http, cast.admin, { root: 'FREEZER' });
      const { box: hazardBox } = await aBox(t.http, cast.admin, { biohazard: true });
      expect(
        (await move(banked.vials[0].id, { boxId: freezerBox.id, row: 1, col: 1 }).expect(422)).body.code,
      ).toBe('STORAGE_UNSUITABLE');
      expect(
        (await move(banked.vials[0].id, { boxId: hazardBox.id, row: 1, col: 1 }).expect(422)).body.code,
      ).toBe('STORAGE_UNSUITABLE');
    });

    it('refuses to move a vial that left the tank (409 INVALID_TRANSITION)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      await t.http
        .post(`/api/v1/vials/${banked.vials[0].id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'Cracked' })
        .expect(200);
      const response = await move(banked.vials[0].id, { boxId: banked.box.id, row: 2, col: 2 }).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
    });

    it('lets one of two concurrent moves into one position win', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const { box } = await aBox(t.http, cast.admin);
      const answers = await Promise.all(
        banked.vials.map((vial) => move(vial.id, { boxId: box.id, row: 9, col: 9 })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect((await t.sql.query(DOUBLE_OCCUPANCY_SQL)).rows).toEqual([]);
    });
  });

  describe('POST /vials/:id/thaw (rule 8: a witness signs with their own password)', () => {
    let banked: BankedBatch;
    beforeAll(async () => {
      banked = await aBankedBatch(t.http, cast, { vials: 6 });
      await aBooster(
        t.http,
        cast.doctor,
        banked.batch.donorId,
        banked.vials.slice(0, 5).map((v) => v.id),
      );
    });

    it('thaws a reserved vial witnessed by a second technician, freeing its position', async () => {
      const vial = banked.vials[0];
      const response = await thaw(t.http, cast.technician, vial.id, cast.technician2, {
        postThawViabilityPct: 86.5,
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'THAWED',
        position: null,
        boxId: null,
        lastPosition: { boxId: banked.box.id, row: 1, col: 1 },
        postThawViabilityPct: 86.5,
        thawedBy: cast.technician.id,
        witnessId: cast.technician2.id,
      });
      const history = response.body.history as { event: string; details: { witness: { id: string } } }[];
      expect(history.map((h) => h.event)).toEqual(['FROZEN', 'RESERVED', 'THAWED']);
      expect(history[2].details.witness.id).toBe(cast.technician2.id);
      expect(await liveAt(banked.box.id, 1, 1)).toBe(0);
      const audit = await t.sql.query(
        `SELECT after FROM audit_entries WHERE entity_id = $1 AND action = 'vial.thawed'`,
        [vial.id],
      );
      expect(audit.rows[0].after.witness).toMatchObject({ id: cast.technician2.id, role: 'technician' });
    });

    it('accepts a qa user as witness', async () => {
      expect((await thaw(t.http, cast.technician, banked.vials[1].id, cast.qa)).status).toBe(200);
    });

    it('refuses the thawer as their own witness (422 SAME_PERSON)', async () => {
      const response = await thaw(t.http, cast.technician, banked.vials[2].id, cast.technician);
      expect([response.status, response.body.code]).toEqual([422, 'SAME_PERSON']);
      expect((await getVial(banked.vials[2].id)).body.status).toBe('RESERVED');
    });

    it('refuses a witness who is not CPC staff, unknown, or deactivated (422 WITNESS_REQUIRED)', async () => {
      const doctor = await thaw(t.http, cast.technician, banked.vials[2].id, cast.doctor);
      expect([doctor.status, doctor.body.code]).toEqual([422, 'WITNESS_REQUIRED']);
      const unknown = await thaw(t.http, cast.technician, banked.vials[2].id, {
        email: 'nobody@cpc.test',
        password: 'whatever-long',
      });
      expect([unknown.status, unknown.body.code]).toEqual([422, 'WITNESS_REQUIRED']);
      const gone = await aPerson(t.http, 'technician');
      await t.http
        .patch(`/api/v1/users/${gone.id}`)
        .set(...bearer(cast.admin))
        .send({ active: false })
        .expect(200);
      const inactive = await thaw(t.http, cast.technician, banked.vials[2].id, gone);
      expect([inactive.status, inactive.body.code]).toEqual([422, 'WITNESS_REQUIRED']);
      const wrong = await thaw(t.http, cast.technician, banked.vials[2].id, {
        email: cast.qa.email,
        password: 'not-the-password',
      });
      // One answer for all: it never tells which e-mails belong to active CPC staff.
      for (const other of [unknown, inactive, wrong]) expect(other.body).toEqual(doctor.body);
      expect((await getVial(banked.vials[2].id)).body.status).toBe('RESERVED');
    });

    it("refuses a wrong witness password (422 WITNESS_REQUIRED), counting it toward the witness's lock-out", async () => {
      const witness = await aPerson(t.http, 'technician');
      const count = async (): Promise<number> =>
        (
          await t.sql.query(
            `SELECT count(*)::int AS n FROM auth_failures WHERE user_id = $1 AND kind = 'SIGNATURE'`,
            [witness.id],
          )
        ).rows[0].n;
      const response = await thaw(t.http, cast.technician, banked.vials[2].id, {
        email: witness.email,
        password: 'not-the-password',
      });
      expect([response.status, response.body.code]).toEqual([422, 'WITNESS_REQUIRED']);
      expect(await count()).toBe(1);
      expect((await getVial(banked.vials[2].id)).body.status).toBe('RESERVED');
    });

    it('thaws only a RESERVED vial: a STORED one (reserve it first) and a thawed one are 409', async () => {
      const stored = await thaw(t.http, cast.technician, banked.vials[5].id, cast.technician2);
      expect([stored.status, stored.body.code]).toEqual([409, 'INVALID_TRANSITION']);
      const again = await thaw(t.http, cast.technician, banked.vials[0].id, cast.technician2);
      expect([again.status, again.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    });

    it('lets exactly one of two concurrent thaws of one vial succeed', async () => {
      const answers = await Promise.all([
        thaw(t.http, cast.technician, banked.vials[4].id, cast.qa),
        thaw(t.http, cast.technician2, banked.vials[4].id, cast.qa),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const events = await t.sql.query(
        `SELECT count(*)::int AS n FROM vial_events WHERE vial_id = $1 AND event = 'THAWED'`,
        [banked.vials[4].id],
      );
      expect(events.rows[0].n).toBe(1);
    });

    it('is for technicians (403) and checks its input (400)', async () => {
      const byQa = await thaw(t.http, cast.qa, banked.vials[3].id, cast.technician);
      expect(byQa.status).toBe(403);
      const bad = await t.http
        .post(`/api/v1/vials/${banked.vials[3].id}/thaw`)
        .set(...bearer(cast.technician))
        .send({
          thawedAt: new Date().toISOString(),
          postThawViabilityPct: 101,
          witnessEmail: cast.technician2.email,
        })
        .expect(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'postThawViabilityPct',
        'witnessPassword',
      ]);
    });
  });

  describe('POST /vials/:id/discard', () => {
    it('lets qa discard a stored or reserved vial, freeing its position, once', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 2 });
      await aBooster(t.http, cast.doctor, banked.batch.donorId, [banked.vials[1].id]);
      for (const vial of banked.vials) {
        const response = await t.http
          .post(`/api/v1/vials/${vial.id}/discard`)
          .set(...bearer(cast.qa))
          .send({ reason: 'Tank alarm' })
          .expect(200);
        expect(response.body).toMatchObject({
          status: 'DISCARDED',
          position: null,
          discardReason: 'Tank alarm',
        });
        expect(response.body.history.at(-1)).toMatchObject({
          event: 'DISCARDED',
          reason: 'Tank alarm',
          actorId: cast.qa.id,
        });
        expect(await liveAt(banked.box.id, vial.row, vial.col)).toBe(0);
      }
      const again = await t.http
        .post(`/api/v1/vials/${banked.vials[0].id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'x' })
        .expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
    });

    it('is for qa only (403) and needs a reason (400)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      const [vial] = await frozenVials(t.http, cast.technician, batch.id, positionsIn(box, 1));
      await t.http
        .post(`/api/v1/vials/${vial.id}/discard`)
        .set(...bearer(cast.technician))
        .send({ reason: 'x' })
        .expect(403);
      await t.http
        .post(`/api/v1/vials/${vial.id}/discard`)
        .set(...bearer(cast.qa))
        .send({})
        .expect(400);
      expect((await getVial(vial.id)).body.status).toBe('STORED');
    });
  });
});
