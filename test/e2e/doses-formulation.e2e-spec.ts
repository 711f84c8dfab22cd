import { randomUUID } from 'node:crypto';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import {
  aCultureCompleteBatchHarvestedAt,
  aDose,
  aReleasedBatch,
  passingQc,
  release,
  ReleasedBatch,
} from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('doses: formulation from a released batch', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  function formulate(batchId: string, body: Record<string, unknown>, who: Person | string = cast.technician) {
    return t.http
      .post(`/api/v1/batches/${batchId}/doses`)
      .set(...bearer(who))
      .send({ cells: 10_000_000, volumeMl: 2, formulatedAt: new Date().toISOString(), ...body });
  }

  async function drawn(batchId: string): Promise<{ cellsDrawn: number; doses: number }> {
    const { rows } = await t.sql.query(
      `SELECT b.cells_drawn::bigint AS "cellsDrawn", (SELECT count(*)::int FROM doses d WHERE d.batch_id = b.id) AS doses
         FROM batches b WHERE b.id = $1`,
      [batchId],
    );
    return { cellsDrawn: Number(rows[0].cellsDrawn), doses: rows[0].doses };
  }

  const fieldsOf = (body: { details: { fields: { field: string }[] } }) =>
    body.details.fields.map((f) => f.field);

  describe('from one released batch', () => {
    let batch: ReleasedBatch;
    beforeAll(async () => {
      batch = await aReleasedBatch(t.http, cast);
    });

    it('labels fresh doses <DIN>-D01, -D02, expiring with the batch, and draws their viable cells', async () => {
      const before = await drawn(batch.id);
      const first = await formulate(batch.id, { cells: 20_000_000, volumeMl: 2.5 });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        id: expect.any(String),
        label: `${batch.din}-D${String(before.doses + 1).padStart(2, '0')}`,
        status: 'FORMULATED',
        kind: 'FRESH',
        cells: 20_000_000,
        volumeMl: 2.5,
        expiresAt: batch.expiresAt,
        batchId: batch.id,
        formulatedBy: cast.technician.id,
      });
      const second = await formulate(batch.id, { cells: 5_000_000 });
      expect(second.body.label).toBe(`${batch.din}-D${String(before.doses + 2).padStart(2, '0')}`);
      expect(await drawn(batch.id)).toEqual({
        cellsDrawn: before.cellsDrawn + 25_000_000,
        doses: before.doses + 2,
      });
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_type = 'batch' AND entity_id = $1 AND action = 'batch.dose_formulated'`,
        [batch.id],
      );
      expect(rows[0].n).toBe(before.doses + 2);
      const view = await t.http
        .get(`/api/v1/batches/${batch.id}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(view.body.readyForInjection).toBe(true);
    });

    it('refuses more cells than are left (INSUFFICIENT_CELLS) and writes nothing', async () => {
      const before = await drawn(batch.id);
      const response = await formulate(batch.id, { cells: batch.viableCellsYielded - before.cellsDrawn + 1 });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('INSUFFICIENT_CELLS');
      expect(await drawn(batch.id)).toEqual(before);
    });

    it('refuses an expired material lot (LOT_EXPIRED) and an unknown one (404), and writes nothing', async () => {
      const expired = await aMaterialLot(t.http, cast.qa.token, {
        kind: 'MEDIUM',
        expiresAt: new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10),
      });
      const before = await drawn(batch.id);
      const refused = await formulate(batch.id, { materialLotIds: [expired.id] });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('LOT_EXPIRED');
      const unknown = await formulate(batch.id, { materialLotIds: [randomUUID()] });
      expect(unknown.status).toBe(404);
      expect(await drawn(batch.id)).toEqual(before);
      const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM material_usages WHERE lot_id = $1', [
        expired.id,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it('records the material lots a dose used, for recall lists', async () => {
      const lot = await aMaterialLot(t.http, cast.qa.token, { kind: 'SUPPLEMENT' });
      const dose = await formulate(batch.id, { cells: 1_000_000, materialLotIds: [lot.id] });
      expect(dose.status).toBe(201);
      const { rows } = await t.sql.query(
        'SELECT event_type, event_id, batch_id FROM material_usages WHERE lot_id = $1',
        [lot.id],
      );
      expect(rows).toEqual([{ event_type: 'DOSE', event_id: dose.body.id, batch_id: batch.id }]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['zero cells', { cells: 0 }, 'cells'],
      ['fractional cells', { cells: 1.5 }, 'cells'],
      ['cells as a string', { cells: '1000000' }, 'cells'],
      ['no volume', { volumeMl: undefined }, 'volumeMl'],
      ['a volume with three decimals', { volumeMl: 1.234 }, 'volumeMl'],
      ['a formulatedAt without a zone', { formulatedAt: '2026-11-24T09:00:00' }, 'formulatedAt'],
      ['a material lot id that is not a UUID', { materialLotIds: ['lot-7'] }, 'materialLotIds'],
      ['an unknown field', { label: 'X-D99' }, 'label'],
    ])('refuses %s (400 naming the field) and writes nothing', async (_case, body, field) => {
      const before = await drawn(batch.id);
      const response = await formulate(batch.id, body);
      expect(response.status).toBe(400);
      expect(fieldsOf(response.body)).toContain(field);
      expect(await drawn(batch.id)).toEqual(before);
    });

    it('refuses a dose formulated before the final harvest (400 naming formulatedAt)', async () => {
      const before = await drawn(batch.id);
      const response = await formulate(batch.id, {
        formulatedAt: new Date(Date.now() - 24 * HOUR).toISOString(),
      });
      expect(response.status).toBe(400);
      expect(fieldsOf(response.body)).toEqual(['formulatedAt']);
      expect(await drawn(batch.id)).toEqual(before);
    });

    it('lets only technicians formulate (403 for qa, doctor, admin)', async () => {
      for (const who of [cast.qa, cast.doctor, cast.admin]) {
        expect((await formulate(batch.id, {}, who)).status).toBe(403);
      }
    });
  });

  it('refuses a dose from a batch that is not released (INVALID_TRANSITION), and 404 for no batch', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const response = await formulate(batch.id, {});
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');
    expect((await formulate(randomUUID(), {})).status).toBe(404);
  });

  it('draws exactly what the final harvest yielded when ten technicians formulate at once: 3 of 10 doses of 30 % succeed', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const cells = Math.floor(batch.viableCellsYielded * 0.3);
    const answers = await Promise.all(Array.from({ length: 10 }, () => formulate(batch.id, { cells })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    expect(new Set(answers.filter((a) => a.status === 422).map((a) => a.body.code))).toEqual(
      new Set(['INSUFFICIENT_CELLS']),
    );
    const labels = answers.filter((a) => a.status === 201).map((a) => a.body.label);
    expect(labels.sort()).toEqual([`${batch.din}-D01`, `${batch.din}-D02`, `${batch.din}-D03`]);
    const after = await drawn(batch.id);
    expect(after).toEqual({ cellsDrawn: 3 * cells, doses: 3 });
    expect(after.cellsDrawn).toBeLessThanOrEqual(batch.viableCellsYielded);
  });

  it('refuses a dose formulated at or after the batch expired (DOSE_EXPIRED); a dose from before it is not administered after it', async () => {
    // Final harvest 47 h 57 min ago: the batch is released now and expires three minutes from now.
    const finalHarvestAt = new Date(Date.now() - 48 * HOUR + 3 * 60_000);
    const batch = await aCultureCompleteBatchHarvestedAt(t.http, cast, finalHarvestAt);
    await passingQc(t.http, batch.id, cast.technician.token);
    const released = await release(t.http, batch.id, cast.qa);
    expect(released.status).toBe(200);
    const expiresAt = new Date(released.body.expiresAt as string);
    expect(expiresAt.getTime()).toBe(finalHarvestAt.getTime() + 48 * HOUR);

    const late = await formulate(batch.id, { formulatedAt: expiresAt.toISOString() });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('DOSE_EXPIRED');

    const dose = await aDose(t.http, cast, batch.id);
    expect(dose.expiresAt).toBe(expiresAt.toISOString());
    const administer = await t.http
      .post(`/api/v1/doses/${dose.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({
        administeredAt: expiresAt.toISOString(),
        site: 'RIGHT_KNEE',
        patientCode: batch.donorCode,
        doseLabel: dose.label,
      });
    expect(administer.status).toBe(422);
    expect(administer.body.code).toBe('DOSE_EXPIRED');
    const { rows } = await t.sql.query('SELECT status FROM doses WHERE id = $1', [dose.id]);
    expect(rows[0].status).toBe('FORMULATED');
  });
});
