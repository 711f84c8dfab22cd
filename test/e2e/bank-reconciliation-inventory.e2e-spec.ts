import { aBankedBatch, aBooster, aBox, frozenVials, thaw } from '../support/bank-fixtures';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

describe('cell bank: reconciliation and inventory', () => {
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

  describe('POST /bank/reconciliations', () => {
    const reconcile = (body: Record<string, unknown>, who: Person | string = cast.qa) =>
      t.http
        .post('/api/v1/bank/reconciliations')
        .set(...bearer(who))
        .send(body);

    it('compares the labels scanned in a box with the record, and keeps the check as a record', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 4 });
      const { box: elsewhere } = await aBox(t.http, cast.admin);
      const other = await aCultureCompleteBatch(t.http, cast);
      const [strayed] = await frozenVials(t.http, cast.technician, other.id, [
        { boxId: elsewhere.id, row: 3, col: 4 },
      ]);
      await aBooster(t.http, cast.doctor, banked.batch.donorId, [banked.vials[3].id]);
      expect((await thaw(t.http, cast.technician, banked.vials[3].id, cast.technician2)).status).toBe(200);
      const [v1, v2, v3, thawed] = banked.vials;

      const response = await reconcile({
        boxId: banked.box.id,
        scannedLabels: [v1.label, v2.label, strayed.label, 'X999900000000-V999', thawed.label, v1.label],
      }).expect(200);
      expect(response.body).toMatchObject({
        boxId: banked.box.id,
        matched: [v1.label, v2.label],
        missing: [v3.label],
        unexpected: [thawed.label, 'X999900000000-V999'].sort(),
        misplaced: [{ label: strayed.label, recordedBoxId: elsewhere.id, recordedRow: 3, recordedCol: 4 }],
      });
      const saved = await t.sql.query(
        'SELECT box_id, matched, missing, performed_by FROM bank_reconciliations WHERE id = $1',
        [response.body.id],
      );
      expect(saved.rows).toEqual([
        {
          box_id: banked.box.id,
          matched: [v1.label, v2.label],
          missing: [v3.label],
          performed_by: cast.qa.id,
        },
      ]);
      const audit = await t.sql.query(
        `SELECT action FROM audit_entries WHERE entity_id = $1 AND action = 'bank.box_reconciled'`,
        [banked.box.id],
      );
      expect(audit.rows).toHaveLength(1);
      expect(
        (await reconcile({ boxId: banked.box.id, scannedLabels: [] }, cast.admin).expect(200)).body.missing,
      ).toEqual([v1.label, v2.label, v3.label]);
    });

    it('is for admin and qa (403), 404 for a box id that is not a box, 400 for bad input', async () => {
      const { rack, box } = await aBox(t.http, cast.admin);
      for (const who of [cast.technician, cast.doctor])
        await reconcile({ boxId: box.id, scannedLabels: [] }, who).expect(403);
      await reconcile({ boxId: rack.id, scannedLabels: [] }).expect(404);
      const bad = await reconcile({ boxId: box.id, scannedLabels: 'V001' }).expect(400);
      expect(bad.body.details.fields[0].field).toBe('scannedLabels');
      await reconcile({ boxId: box.id, scannedLabels: [], counted: 3 }).expect(400);
    });
  });

  describe('GET /bank/inventory', () => {
    it('shows donors with their vials in the tanks, cells banked, positions and next review dates', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 3 });
      await aBooster(t.http, cast.doctor, banked.batch.donorId, [banked.vials[0].id]);
      await t.http
        .post(`/api/v1/vials/${banked.vials[2].id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'Cracked' })
        .expect(200);
      const response = await t.http
        .get(`/api/v1/bank/inventory?donorId=${banked.batch.donorId}`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(response.body).toEqual({
        items: [
          expect.objectContaining({
            donorId: banked.batch.donorId,
            donorCode: banked.batch.donorCode,
            clinicId: cast.clinic.id,
            vialCount: 2,
            cellsBanked: 10_000_000,
            cellsAvailable: 5_000_000,
            nextReviewAt: banked.vials[0].nextReviewAt,
          }),
        ],
        nextCursor: null,
      });
      expect(
        response.body.items[0].vials
          .map((v: { label: string; status: string; row: number; col: number; boxId: string }) => [
            v.label,
            v.status,
            v.boxId,
            v.row,
            v.col,
          ])
          .sort(),
      ).toEqual([
        [banked.vials[0].label, 'RESERVED', banked.box.id, 1, 1],
        [banked.vials[1].label, 'STORED', banked.box.id, 1, 2],
      ]);
    });

    it("walks a clinic's donors a page at a time", async () => {
      const clinic = await aClinic(t.http);
      const doctor = await aPerson(t.http, 'doctor', clinic);
      const own = { ...cast, clinic, doctor };
      const donors = [];
      for (let i = 0; i < 3; i++)
        donors.push((await aBankedBatch(t.http, own, { released: false, vials: 1 })).batch.donorId);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `clinicId=${clinic.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.http
          .get(`/api/v1/bank/inventory?${query}`)
          .set(...bearer(cast.admin))
          .expect(200);
        seen.push(...page.body.items.map((item: { donorId: string }) => item.donorId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(donors.sort());
      const doctorView = await t.http
        .get('/api/v1/bank/inventory')
        .set(...bearer(doctor))
        .expect(200);
      expect(doctorView.body.items.map((item: { donorId: string }) => item.donorId).sort()).toEqual(
        donors.sort(),
      );
    });

    it("keeps a doctor to their own clinic: another clinic's donor is 404, its clinic id finds nothing", async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      await t.http
        .get(`/api/v1/bank/inventory?donorId=${banked.batch.donorId}`)
        .set(...bearer(otherDoctor))
        .expect(404);
      const filtered = await t.http
        .get(`/api/v1/bank/inventory?clinicId=${cast.clinic.id}`)
        .set(...bearer(otherDoctor))
        .expect(200);
      expect(filtered.body).toEqual({ items: [], nextCursor: null });
      const own = await t.http
        .get(`/api/v1/bank/inventory?donorId=${banked.batch.donorId}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(own.body.items).toHaveLength(1);
    });

    it('is not for technicians (403) and checks its query (400)', async () => {
      await t.http
        .get('/api/v1/bank/inventory')
        .set(...bearer(cast.technician))
        .expect(403);
      await t.http
        .get('/api/v1/bank/inventory?donorId=abc')
        .set(...bearer(cast.qa))
        .expect(400);
      await t.http
        .get('/api/v1/bank/inventory?cursor=abc')
        .set(...bearer(cast.qa))
        .expect(400);
    });
  });
});
