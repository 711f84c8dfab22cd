import { addCalendarMonths } from '../../src/bank/domain/review-schedule';
import { aBox, cryopreserve, DOUBLE_OCCUPANCY_SQL, frozenVials, positionsIn } from '../support/bank-fixtures';
import { aBatchInCulture, aCultureCompleteBatch } from '../support/batch-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 24 * 3_600_000;

describe('cell bank: cryopreservation (POST /batches/:id/cryopreserve)', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const vialCount = async (batchId: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM vials WHERE batch_id = $1', [batchId])).rows[0].n;
  const cellsDrawn = async (batchId: string): Promise<number> =>
    Number(
      (await t.sql.query('SELECT cells_drawn FROM batches WHERE id = $1', [batchId])).rows[0].cells_drawn,
    );
  const batchView = async (batchId: string) =>
    (
      await t.http
        .get(`/api/v1/batches/${batchId}`)
        .set(...bearer(cast.technician))
        .expect(200)
    ).body;

  it('freezes vials labelled <DIN>-V001... into their positions, drawing their cells from the final harvest', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const before = await batchView(batch.id);
    const frozenAt = new Date(Date.now() - 60_000).toISOString();
    const response = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 3, 4_000_000), {
      frozenAt,
    });
    expect(response.status).toBe(201);
    const expectedReview = addCalendarMonths(new Date(frozenAt), 12, 'Asia/Tokyo').toISOString();
    expect(response.body.vials).toEqual([
      {
        id: expect.any(String),
        label: `${batch.din}-V001`,
        boxId: box.id,
        row: 1,
        col: 1,
        status: 'STORED',
        cells: 4_000_000,
        nextReviewAt: expectedReview,
      },
      {
        id: expect.any(String),
        label: `${batch.din}-V002`,
        boxId: box.id,
        row: 1,
        col: 2,
        status: 'STORED',
        cells: 4_000_000,
        nextReviewAt: expectedReview,
      },
      {
        id: expect.any(String),
        label: `${batch.din}-V003`,
        boxId: box.id,
        row: 1,
        col: 3,
        status: 'STORED',
        cells: 4_000_000,
        nextReviewAt: expectedReview,
      },
    ]);
    expect(response.body.cellsDrawn).toBe(12_000_000);
    expect((await batchView(batch.id)).cellsRemaining).toBe(before.cellsRemaining - 12_000_000);

    // A second freezing goes on numbering.
    const more = await frozenVials(t.http, cast.technician, batch.id, [{ boxId: box.id, row: 2, col: 1 }]);
    expect(more[0].label).toBe(`${batch.din}-V004`);
  });

  it("writes the freezing into the batch's record, each vial's own entry and history, and tells the jobs", async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const vials = await frozenVials(t.http, cast.technician, batch.id, positionsIn(box, 2));
    const onBatch = await t.sql.query(
      `SELECT action, after FROM audit_entries WHERE entity_id = $1 ORDER BY seq`,
      [batch.id],
    );
    const entry = onBatch.rows.find((row: { action: string }) => row.action === 'batch.cryopreserved');
    expect(entry.after).toMatchObject({
      medium: 'CryoStor CS10',
      dmsoPct: 10,
      vials: [{ label: vials[0].label }, { label: vials[1].label }],
    });
    const onVial = await t.sql.query(`SELECT action, actor_id FROM audit_entries WHERE entity_id = $1`, [
      vials[0].id,
    ]);
    expect(onVial.rows).toEqual([{ action: 'vial.frozen', actor_id: cast.technician.id }]);
    const vial = await t.http
      .get(`/api/v1/vials/${vials[0].id}`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(vial.body.history).toEqual([
      expect.objectContaining({
        event: 'FROZEN',
        toStatus: 'STORED',
        actorId: cast.technician.id,
        position: { boxId: box.id, row: 1, col: 1 },
      }),
    ]);
    const events = await t.sql.query(
      `SELECT type, subject_type FROM outbox_events WHERE subject_id = $1 OR subject_id = $2 ORDER BY id`,
      [batch.id, vial.body.reviewId],
    );
    expect(events.rows).toEqual(
      expect.arrayContaining([
        { type: 'vials.frozen', subject_type: 'batch' },
        { type: 'storage_review.changed', subject_type: 'storage_review' },
      ]),
    );
  });

  it('replays a retried request with the same Idempotency-Key instead of freezing twice', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const body = {
      frozenAt: new Date().toISOString(),
      medium: 'CS10',
      vials: [{ cells: 1_000_000, boxId: box.id, row: 1, col: 1 }],
    };
    const send = () =>
      t.http
        .post(`/api/v1/batches/${batch.id}/cryopreserve`)
        .set(...bearer(cast.technician))
        .set('Idempotency-Key', `freeze-${batch.id}`)
        .send(body);
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.body).toEqual(first.body);
    expect(await vialCount(batch.id)).toBe(1);
  });

  it('freezes surplus of a RELEASED batch too', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    expect((await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 1))).status).toBe(201);
  });

  it('records the cryoprotectant lots used, and refuses an expired one (422 LOT_EXPIRED) or an unknown one (404)', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const lot = await aMaterialLot(t.http, cast.admin, { kind: 'CRYOPROTECTANT' });
    const ok = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 1), {
      materialLotIds: [lot.id],
    });
    expect(ok.status).toBe(201);
    const usage = await t.sql.query(`SELECT event_type FROM material_usages WHERE lot_id = $1`, [lot.id]);
    expect(usage.rows).toEqual([{ event_type: 'CRYOPRESERVATION' }]);

    const expired = await aMaterialLot(t.http, cast.admin, {
      kind: 'CRYOPROTECTANT',
      expiresAt: '2020-01-31',
    });
    const late = await cryopreserve(t.http, cast.technician, batch.id, [{ boxId: box.id, row: 2, col: 1 }], {
      materialLotIds: [expired.id],
    });
    expect([late.status, late.body.code]).toEqual([422, 'LOT_EXPIRED']);
    const unknown = await cryopreserve(
      t.http,
      cast.technician,
      batch.id,
      [{ boxId: box.id, row: 2, col: 1 }],
      {
        materialLotIds: ['00000000-0000-4000-8000-000000000000'],
      },
    );
    expect(unknown.status).toBe(404);
    expect(await vialCount(batch.id)).toBe(1);
  });

  describe('who and when', () => {
    it('is for technicians only (403)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      for (const who of [cast.qa, cast.doctor]) {
        const response = await cryopreserve(t.http, who, batch.id, positionsIn(box, 1));
        expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      const admin = await t.http
        .post(`/api/v1/batches/${batch.id}/cryopreserve`)
        .set(...bearer(cast.admin))
        .send({});
      expect(admin.status).toBe(403);
    });

    it('answers 404 for an unknown batch', async () => {
      const { box } = await aBox(t.http, cast.admin);
      const response = await cryopreserve(
        t.http,
        cast.technician,
        '00000000-0000-4000-8000-000000000000',
        positionsIn(box, 1),
      );
      expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('refuses a batch still in culture (409 INVALID_TRANSITION) and stores nothing', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      const response = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 1));
      expect([response.status, response.body.code]).toEqual([409, 'INVALID_TRANSITION']);
      expect(await vialCount(batch.id)).toBe(0);
    });
  });

  describe('bad input (400, nothing stored)', () => {
    let batchId: string;
    let boxId: string;
    beforeAll(async () => {
      batchId = (await aCultureCompleteBatch(t.http, cast)).id;
      boxId = (await aBox(t.http, cast.admin, { rows: 3, cols: 3 })).box.id;
    });
    const vial = (extra: Record<string, unknown> = {}) => ({
      cells: 1_000_000,
      boxId,
      row: 1,
      col: 1,
      ...extra,
    });

    it.each([
      ['no vials', { vials: [] }, 'vials'],
      ['201 vials', { vials: Array.from({ length: 201 }, () => vial()) }, 'vials'],
      ['a vial without cells', { vials: [{ boxId: 'x', row: 1, col: 1 }] }, 'vials.0.cells'],
      ['an unknown field in a vial', { vials: [vial({ volumeMl: 1 })] }, 'vials.0.volumeMl'],
      ['an unknown field', { vials: [vial()], operator: 'me' }, 'operator'],
      [
        'a frozenAt an hour ahead',
        { vials: [vial()], frozenAt: new Date(Date.now() + 3_600_000).toISOString() },
        'frozenAt',
      ],
      ['a frozenAt without a zone', { vials: [vial()], frozenAt: '2026-01-01T10:00:00' }, 'frozenAt'],
      ['a DMSO of 101 %', { vials: [vial()], dmsoPct: 101 }, 'dmsoPct'],
      ['a row of 21', { vials: [vial({ row: 21 })] }, 'vials.0.row'],
    ])('refuses %s', async (_what, body, field) => {
      const response = await t.http
        .post(`/api/v1/batches/${batchId}/cryopreserve`)
        .set(...bearer(cast.technician))
        .send({ frozenAt: new Date().toISOString(), medium: 'CS10', ...body });
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await vialCount(batchId)).toBe(0);
    });

    it('refuses two vials of one request in one position, naming the second', async () => {
      const response = await cryopreserve(t.http, cast.technician, batchId, [
        { boxId, row: 1, col: 1 },
        { boxId, row: 2, col: 2 },
        { boxId, row: 1, col: 1 },
      ]);
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.details?.fields).toEqual([
        { field: 'vials.2', errors: [expect.stringContaining('vials.0')] },
      ]);
      expect(await vialCount(batchId)).toBe(0);
    });

    it("refuses a position outside its box's rows and columns", async () => {
      const response = await cryopreserve(t.http, cast.technician, batchId, [
        { boxId, row: 1, col: 1 },
        { boxId, row: 4, col: 1 },
      ]);
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.details?.fields).toEqual([
        { field: 'vials.1', errors: [expect.stringContaining('outside')] },
      ]);
      expect(await vialCount(batchId)).toBe(0);
    });

    it('refuses a frozenAt before the final harvest', async () => {
      const response = await cryopreserve(t.http, cast.technician, batchId, [vial()], {
        frozenAt: new Date(Date.now() - DAY).toISOString(),
      });
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.details?.fields).toEqual([{ field: 'frozenAt', errors: [expect.any(String)] }]);
    });
  });

  it('answers 404 for a box id that is not a box (a rack, an unknown id), storing nothing', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const { rack, box } = await aBox(t.http, cast.admin);
    const rackAsBox = await cryopreserve(t.http, cast.technician, batch.id, [
      { boxId: box.id, row: 1, col: 1 },
      { boxId: rack.id, row: 1, col: 1 },
    ]);
    expect([rackAsBox.status, rackAsBox.body.code]).toEqual([404, 'NOT_FOUND']);
    const unknown = await cryopreserve(t.http, cast.technician, batch.id, [
      { boxId: '00000000-0000-4000-8000-000000000000', row: 1, col: 1 },
    ]);
    expect(unknown.status).toBe(404);
    expect(await vialCount(batch.id)).toBe(0);
  });

  describe('a vial position holds one vial (rule 6)', () => {
    it('is all or nothing: a request failing on its last vial leaves its first position free (409 POSITION_OCCUPIED)', async () => {
      const { box } = await aBox(t.http, cast.admin);
      const first = await aCultureCompleteBatch(t.http, cast);
      await frozenVials(t.http, cast.technician, first.id, [{ boxId: box.id, row: 3, col: 3 }]);
      const second = await aCultureCompleteBatch(t.http, cast);
      const before = await cellsDrawn(second.id);
      const response = await cryopreserve(t.http, cast.technician, second.id, [
        { boxId: box.id, row: 1, col: 1 },
        { boxId: box.id, row: 1, col: 2 },
        { boxId: box.id, row: 3, col: 3 },
      ]);
      expect([response.status, response.body.code]).toEqual([409, 'POSITION_OCCUPIED']);
      expect(await vialCount(second.id)).toBe(0);
      expect(await cellsDrawn(second.id)).toBe(before);
      const free = await t.http
        .get(`/api/v1/storage-units/${box.id}/free-positions?count=1`)
        .set(...bearer(cast.technician))
        .expect(200);
      expect(free.body).toEqual([{ boxId: box.id, row: 1, col: 1 }]);
      const freezings = await t.sql.query(
        'SELECT count(*)::int AS n FROM cryopreservations WHERE batch_id = $1',
        [second.id],
      );
      expect(freezings.rows[0].n).toBe(0);
    });

    it('lets exactly one of 20 concurrent placements into one position win; the rest get 409 POSITION_OCCUPIED', async () => {
      const { box } = await aBox(t.http, cast.admin);
      const batches = [];
      for (let i = 0; i < 4; i++)
        batches.push(
          ...(await Promise.all(Array.from({ length: 5 }, () => aCultureCompleteBatch(t.http, cast)))),
        );
      const answers = await Promise.all(
        batches.map((batch) =>
          cryopreserve(t.http, cast.technician, batch.id, [{ boxId: box.id, row: 5, col: 5 }]),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'POSITION_OCCUPIED')).toBe(
        true,
      );
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      expect((await t.sql.query(DOUBLE_OCCUPANCY_SQL)).rows).toEqual([]);
      const inPosition = await t.sql.query(
        `SELECT count(*)::int AS n FROM vials WHERE box_id = $1 AND pos_row = 5 AND pos_col = 5`,
        [box.id],
      );
      expect(inPosition.rows[0].n).toBe(1);
    }, 60_000);
  });

  describe('domain rules (422, nothing stored)', () => {
    it('refuses a donor without banking consent (CONSENT_MISSING)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast, { banking: false });
      const { box } = await aBox(t.http, cast.admin);
      const response = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 1));
      expect([response.status, response.body.code]).toEqual([422, 'CONSENT_MISSING']);
      expect(await vialCount(batch.id)).toBe(0);
    });

    it('refuses a box in a -80 C freezer: banked cells live in liquid nitrogen (STORAGE_UNSUITABLE)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin, { root: 'FREEZER' });
      const response = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 1));
      expect([response.status, response.body.code]).toEqual([422, 'STORAGE_UNSUITABLE']);
      expect(response.body.details).toMatchObject({ rootKind: 'FREEZER' });
      expect(await vialCount(batch.id)).toBe(0);
    });

    it("stores a reactive donor's vials only in a biohazard tank, and other vials never there (STORAGE_UNSUITABLE)", async () => {
      const reactive = await aCultureCompleteBatch(t.http, cast, { reactive: true });
      const clean = await aCultureCompleteBatch(t.http, cast);
      const { box: ordinary } = await aBox(t.http, cast.admin, { biohazard: false });
      const { box: hazardous } = await aBox(t.http, cast.admin, { biohazard: true });
      const wrongForReactive = await cryopreserve(
        t.http,
        cast.technician,
        reactive.id,
        positionsIn(ordinary, 1),
      );
      expect([wrongForReactive.status, wrongForReactive.body.code]).toEqual([422, 'STORAGE_UNSUITABLE']);
      const wrongForClean = await cryopreserve(t.http, cast.technician, clean.id, positionsIn(hazardous, 1));
      expect([wrongForClean.status, wrongForClean.body.code]).toEqual([422, 'STORAGE_UNSUITABLE']);
      expect(await vialCount(reactive.id)).toBe(0);
      expect(await vialCount(clean.id)).toBe(0);
      expect(
        (await cryopreserve(t.http, cast.technician, reactive.id, positionsIn(hazardous, 1))).status,
      ).toBe(201);
    });

    it('refuses to draw more viable cells than are left (INSUFFICIENT_CELLS)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast); // 1.8e8 viable cells
      const { box } = await aBox(t.http, cast.admin);
      const response = await cryopreserve(
        t.http,
        cast.technician,
        batch.id,
        positionsIn(box, 2, 100_000_000),
      );
      expect([response.status, response.body.code]).toEqual([422, 'INSUFFICIENT_CELLS']);
      expect(await cellsDrawn(batch.id)).toBe(0);
      expect(
        (await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 2, 90_000_000))).status,
      ).toBe(201);
      expect((await batchView(batch.id)).cellsRemaining).toBe(0);
    });

    it('answers a taken position (409) before a missing consent (422), as the order of checks says', async () => {
      const { box } = await aBox(t.http, cast.admin);
      const holder = await aCultureCompleteBatch(t.http, cast);
      await frozenVials(t.http, cast.technician, holder.id, positionsIn(box, 1));
      const noConsent = await aCultureCompleteBatch(t.http, cast, { banking: false });
      const response = await cryopreserve(t.http, cast.technician, noConsent.id, positionsIn(box, 1));
      expect([response.status, response.body.code]).toEqual([409, 'POSITION_OCCUPIED']);
    });
  });

  it("reviews a vial at the banking consent's expiry when that comes before 12 months", async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const expiresAt = new Date(Date.now() + 90 * DAY).toISOString();
    await t.http
      .post(`/api/v1/donors/${batch.donorId}/consents`)
      .set(...bearer(cast.doctor))
      .send({
        treatment: true,
        banking: true,
        signedAt: new Date(Date.now() - 60_000).toISOString(),
        bankingExpiresAt: expiresAt,
      })
      .expect(201);
    const { box } = await aBox(t.http, cast.admin);
    const [vial] = await frozenVials(t.http, cast.technician, batch.id, positionsIn(box, 1));
    expect(vial.nextReviewAt).toBe(expiresAt);
  });
});
