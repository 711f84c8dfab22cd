import { aBox, cryopreserve, positionsIn } from '../support/bank-fixtures';
import { aBatch, aBatchInCulture, aCultureCompleteBatch, minutesAgo } from '../support/batch-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

const MINUTE = 60_000;
const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * MINUTE).toISOString();

interface EquipmentView {
  id: string;
  code: string;
  kind: string;
  name: string;
  calibrationDueAt: string;
  qualified: boolean;
  calibrations: { id: string; result: string; performedAt: string; nextDueAt: string }[];
}

describe('equipment: calibration and qualification at the time of use', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  async function anEquipment(calibrationDueAt: string, kind = 'CELL_COUNTER'): Promise<EquipmentView> {
    const response = await t.http
      .post('/api/v1/equipment')
      .set(...bearer(cast.admin))
      .send({ code: unique('EQ-'), kind, name: 'NucleoCounter NC-202', calibrationDueAt });
    expect(response.status).toBe(201);
    return response.body as EquipmentView;
  }
  const calibrate = (id: string, body: Record<string, unknown>, who: Person | string = cast.qa) =>
    t.http
      .post(`/api/v1/equipment/${id}/calibrations`)
      .set(...bearer(who))
      .send({ certificateRef: 'CAL-2026-118', ...body });
  const isolate = (batchId: string, performedAt: string, equipmentIds: string[]) =>
    t.http
      .post(`/api/v1/batches/${batchId}/isolation`)
      .set(...bearer(cast.technician))
      .send({ performedAt, cellCount: 100_000, viabilityPct: 95, equipmentIds });
  const usagesOf = async (batchId: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM equipment_usages WHERE batch_id = $1', [batchId]))
      .rows[0].n as number;

  describe('POST /equipment, calibrations, GET', () => {
    it('registers equipment with a unique code (409 DUPLICATE), admin only', async () => {
      const code = unique('EQ-');
      const body = {
        code,
        kind: 'CENTRIFUGE',
        name: 'Centrifuge 5810R',
        calibrationDueAt: inMinutes(60 * 24 * 90),
      };
      const first = await t.http
        .post('/api/v1/equipment')
        .set(...bearer(cast.admin))
        .send(body);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ code, kind: 'CENTRIFUGE', qualified: true, calibrations: [] });
      const again = await t.http
        .post('/api/v1/equipment')
        .set(...bearer(cast.admin))
        .send(body);
      expect([again.status, again.body.code]).toEqual([409, 'DUPLICATE']);
      const byQa = await t.http
        .post('/api/v1/equipment')
        .set(...bearer(cast.qa))
        .send({ ...body, code: unique('EQ-') });
      expect(byQa.status).toBe(403);
      const badKind = await t.http
        .post('/api/v1/equipment')
        .set(...bearer(cast.admin))
        .send({ ...body, code: unique('EQ-'), kind: 'MICROWAVE' });
      expect([badKind.status, badKind.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('records calibrations and shows the history with `qualified` now', async () => {
      const equipment = await anEquipment(minutesAgo(60));
      expect(equipment.qualified).toBe(false);
      const pass = await calibrate(equipment.id, {
        performedAt: minutesAgo(30),
        result: 'PASS',
        nextDueAt: inMinutes(60 * 24 * 365),
      });
      expect(pass.status).toBe(201);
      const view = await t.http.get(`/api/v1/equipment/${equipment.id}`).set(...bearer(cast.technician));
      expect(view.body).toMatchObject({
        qualified: true,
        calibrationDueAt: new Date(Date.parse(pass.body.nextDueAt)).toISOString(),
        calibrations: [{ id: pass.body.id, result: 'PASS' }],
      });
      const list = await t.http.get('/api/v1/equipment').set(...bearer(cast.qa));
      expect(list.body.items.some((e: EquipmentView) => e.id === equipment.id)).toBe(true);
    });

    it('refuses a next due date not after the calibration, and a technician (403)', async () => {
      const equipment = await anEquipment(inMinutes(60 * 24 * 30));
      const backwards = await calibrate(equipment.id, {
        performedAt: minutesAgo(10),
        result: 'PASS',
        nextDueAt: minutesAgo(20),
      });
      expect([backwards.status, backwards.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const byTechnician = await calibrate(
        equipment.id,
        { performedAt: minutesAgo(10), result: 'PASS', nextDueAt: inMinutes(100) },
        cast.technician,
      );
      expect(byTechnician.status).toBe(403);
      const unknown = await calibrate('5b0b7b52-7f4a-4c1e-9a7d-1d2e3f4a5b6c', {
        performedAt: minutesAgo(10),
        result: 'PASS',
        nextDueAt: inMinutes(100),
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('steps refuse unqualified equipment, judged at the step time', () => {
    it('accepts a step back-entered before the due date, and refuses the same equipment for a step now', async () => {
      const counter = await anEquipment(minutesAgo(20));
      const earlier = await aBatch(t.http, cast);
      const before = await isolate(earlier.id, minutesAgo(30), [counter.id]);
      expect(before.status).toBe(201);
      expect(await usagesOf(earlier.id)).toBe(1);

      const now = await aBatch(t.http, cast);
      const refused = await isolate(now.id, minutesAgo(1), [counter.id]);
      expect([refused.status, refused.body.code]).toEqual([422, 'EQUIPMENT_NOT_QUALIFIED']);
      expect(refused.body.details).toMatchObject({
        equipment: [{ id: counter.id, code: counter.code, reason: 'CALIBRATION_OVERDUE' }],
      });
      const batch = await t.http.get(`/api/v1/batches/${now.id}`).set(...bearer(cast.technician));
      expect(batch.body.status).toBe('RECEIVED');
      expect(await usagesOf(now.id)).toBe(0);
    });

    it('refuses equipment whose latest calibration failed, but not for a step before the failure', async () => {
      const cabinet = await anEquipment(inMinutes(60 * 24 * 200), 'BIOSAFETY_CABINET');
      expect(
        (
          await calibrate(cabinet.id, {
            performedAt: minutesAgo(35),
            result: 'FAIL',
            nextDueAt: inMinutes(60),
          })
        ).status,
      ).toBe(201);
      const view = await t.http.get(`/api/v1/equipment/${cabinet.id}`).set(...bearer(cast.qa));
      expect(view.body.qualified).toBe(false);

      const after = await aBatch(t.http, cast);
      const refused = await isolate(after.id, minutesAgo(30), [cabinet.id]);
      expect([refused.status, refused.body.code]).toEqual([422, 'EQUIPMENT_NOT_QUALIFIED']);
      expect(refused.body.details).toMatchObject({
        equipment: [{ id: cabinet.id, reason: 'CALIBRATION_FAILED' }],
      });
      const before = await aBatch(t.http, cast);
      expect((await isolate(before.id, minutesAgo(40), [cabinet.id])).status).toBe(201);
    });

    it('answers 404 for unknown equipment and 400 for a malformed or repeated id', async () => {
      const batch = await aBatch(t.http, cast);
      const unknown = await isolate(batch.id, minutesAgo(30), ['5b0b7b52-7f4a-4c1e-9a7d-1d2e3f4a5b6c']);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
      const malformed = await isolate(batch.id, minutesAgo(30), ['not-a-uuid']);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const counter = await anEquipment(inMinutes(600));
      const twice = await isolate(batch.id, minutesAgo(30), [counter.id, counter.id]);
      expect([twice.status, twice.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(await usagesOf(batch.id)).toBe(0);
    });

    it('takes equipmentIds on passages, cell counts, final harvest, QC results and cryopreservation', async () => {
      const good = await anEquipment(inMinutes(60 * 24 * 100));
      const overdue = await anEquipment(minutesAgo(60 * 24 * 3));
      const inCulture = await aBatchInCulture(t.http, cast);
      const post = (path: string, body: Record<string, unknown>) =>
        t.http
          .post(`/api/v1/batches/${inCulture.id}/${path}`)
          .set(...bearer(cast.technician))
          .send(body);
      const count = { countedAt: minutesAgo(35), totalCells: 900_000, viabilityPct: 93 };
      expect((await post('cell-counts', { ...count, equipmentIds: [overdue.id] })).status).toBe(422);
      expect((await post('cell-counts', { ...count, equipmentIds: [good.id] })).status).toBe(201);
      const passage = {
        passageNumber: 2,
        performedAt: minutesAgo(30),
        cellsHarvested: 6_400_000,
        viabilityPct: 94,
        cellsSeeded: 1_600_000,
      };
      expect((await post('passages', { ...passage, equipmentIds: [overdue.id] })).status).toBe(422);
      expect((await post('passages', { ...passage, equipmentIds: [good.id] })).status).toBe(201);
      const harvest = { performedAt: minutesAgo(20), totalCells: 200_000_000, viabilityPct: 90 };
      expect((await post('final-harvest', { ...harvest, equipmentIds: [overdue.id] })).status).toBe(422);
      expect((await post('final-harvest', { ...harvest, equipmentIds: [good.id] })).status).toBe(201);
      const qc = { test: 'VIABILITY', value: 92, testedAt: minutesAgo(10) };
      expect((await post('qc-results', { ...qc, equipmentIds: [overdue.id] })).status).toBe(422);
      expect((await post('qc-results', { ...qc, equipmentIds: [good.id] })).status).toBe(201);
      expect(await usagesOf(inCulture.id)).toBe(4);

      const complete = await aCultureCompleteBatch(t.http, cast);
      const { box } = await aBox(t.http, cast.admin);
      const frozen = await cryopreserve(t.http, cast.technician, complete.id, positionsIn(box, 1), {
        equipmentIds: [overdue.id],
      });
      expect([frozen.status, frozen.body.code]).toEqual([422, 'EQUIPMENT_NOT_QUALIFIED']);
      const vials = await t.sql.query('SELECT count(*)::int AS n FROM vials WHERE batch_id = $1', [
        complete.id,
      ]);
      expect(vials.rows[0].n).toBe(0);
      const ok = await cryopreserve(t.http, cast.technician, complete.id, positionsIn(box, 1), {
        equipmentIds: [good.id],
      });
      expect(ok.status).toBe(201);
    });

    it('shows the equipment and how it stood then in the batch lineage', async () => {
      const counter = await anEquipment(inMinutes(60 * 24 * 100));
      const batch = await aBatch(t.http, cast);
      expect((await isolate(batch.id, minutesAgo(30), [counter.id])).status).toBe(201);
      const lineage = await t.http.get(`/api/v1/batches/${batch.id}/lineage`).set(...bearer(cast.qa));
      expect(lineage.status).toBe(200);
      expect(lineage.body.equipment).toEqual([
        expect.objectContaining({
          id: counter.id,
          code: counter.code,
          eventType: 'ISOLATION',
          usedAt: expect.any(String),
          calibrationDueAt: counter.calibrationDueAt,
          qualified: true,
        }),
      ]);
      expect(Date.parse(lineage.body.equipment[0].usedAt)).toBeLessThan(Date.now() - 25 * MINUTE);
    });
  });
});
