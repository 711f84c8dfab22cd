import { aBox, aStorageUnit, frozenVials } from '../support/bank-fixtures';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

describe('cell bank: the storage hierarchy', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>, token: string = cast.admin) =>
    t.http
      .post('/api/v1/storage-units')
      .set(...bearer(token))
      .send(body);
  const unitCount = async (name: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM storage_units WHERE name = $1', [name])).rows[0].n;

  describe('POST /storage-units', () => {
    it('builds tank > rack > box, copying the root, its kind and its biohazard class down', async () => {
      const tank = await aStorageUnit(t.http, cast.admin, {
        kind: 'TANK',
        biohazard: true,
        name: unique('LN2 '),
      });
      expect(tank).toMatchObject({
        kind: 'TANK',
        parentId: null,
        rootId: tank.id,
        rootKind: 'TANK',
        biohazard: true,
      });
      const rack = await aStorageUnit(t.http, cast.admin, {
        kind: 'RACK',
        parentId: tank.id,
        name: 'Rack A',
      });
      const box = await aStorageUnit(t.http, cast.admin, {
        kind: 'BOX',
        parentId: rack.id,
        rows: 5,
        cols: 4,
        name: 'Box 1',
      });
      expect(box).toMatchObject({
        kind: 'BOX',
        parentId: rack.id,
        rootId: tank.id,
        rootKind: 'TANK',
        biohazard: true,
        rows: 5,
        cols: 4,
        path: `${tank.name} / Rack A / Box 1`,
      });
      const audit = await t.sql.query(`SELECT action FROM audit_entries WHERE entity_id = $1`, [box.id]);
      expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['storage_unit.created']);
    });

    it('lets a box stand straight in a -80 C freezer, which stays a FREEZER root', async () => {
      const freezer = await aStorageUnit(t.http, cast.admin, { kind: 'FREEZER' });
      const box = await aStorageUnit(t.http, cast.admin, {
        kind: 'BOX',
        parentId: freezer.id,
        rows: 1,
        cols: 1,
      });
      expect(box).toMatchObject({ rootKind: 'FREEZER', biohazard: false, rows: 1, cols: 1 });
    });

    it('is for admins only (403 before anything is looked at)', async () => {
      for (const who of [cast.qa, cast.technician, cast.doctor]) {
        const response = await create({ name: unique('T'), kind: 'TANK' }, who.token).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
    });

    it.each([
      ['a BOX without rows and cols', { kind: 'BOX', parentIdFromTank: true }, ['rows', 'cols']],
      ['a BOX of 21 rows', { kind: 'BOX', parentIdFromTank: true, rows: 21, cols: 3 }, ['rows']],
      ['a BOX of 0 cols', { kind: 'BOX', parentIdFromTank: true, rows: 3, cols: 0 }, ['cols']],
      ['a BOX without a parent', { kind: 'BOX', rows: 3, cols: 3 }, ['parentId']],
      ['a RACK without a parent', { kind: 'RACK' }, ['parentId']],
      ['a TANK with a parent', { kind: 'TANK', parentIdFromTank: true }, ['parentId']],
      ['rows on a TANK', { kind: 'TANK', rows: 3 }, ['rows']],
      [
        'biohazard on a RACK (it is inherited)',
        { kind: 'RACK', parentIdFromTank: true, biohazard: true },
        ['biohazard'],
      ],
      ['an unknown kind', { kind: 'SHELF' }, ['kind']],
      ['an unknown field', { kind: 'TANK', temperatureC: -196 }, ['temperatureC']],
      ['a parentId that is not a UUID', { kind: 'RACK', parentId: 'tank-1' }, ['parentId']],
    ])('refuses %s (400, fields named, nothing stored)', async (_what, shape, fields) => {
      const { parentIdFromTank, ...body } = shape as Record<string, unknown>;
      const parentId = parentIdFromTank
        ? (await aStorageUnit(t.http, cast.admin, { kind: 'TANK' })).id
        : undefined;
      const name = unique('Bad ');
      const response = await create({ name, ...body, ...(parentId ? { parentId } : {}) }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual(
        expect.arrayContaining(fields),
      );
      expect(await unitCount(name)).toBe(0);
    });

    it('answers 404 for a parent that does not exist', async () => {
      const response = await create({
        name: unique('R'),
        kind: 'RACK',
        parentId: '00000000-0000-4000-8000-000000000000',
      }).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('refuses a rack in a rack and anything in a box (422 STORAGE_UNSUITABLE)', async () => {
      const { rack, box } = await aBox(t.http, cast.admin);
      const rackInRack = await create({ name: unique('R'), kind: 'RACK', parentId: rack.id }).expect(422);
      expect(rackInRack.body.code).toBe('STORAGE_UNSUITABLE');
      const boxInBox = await create({
        name: unique('B'),
        kind: 'BOX',
        parentId: box.id,
        rows: 2,
        cols: 2,
      }).expect(422);
      expect(boxInBox.body.code).toBe('STORAGE_UNSUITABLE');
      const rackInBox = await create({ name: unique('R'), kind: 'RACK', parentId: box.id }).expect(422);
      expect(rackInBox.body.code).toBe('STORAGE_UNSUITABLE');
    });

    it('refuses a second unit of the same name in one place (409 DUPLICATE)', async () => {
      const tank = await aStorageUnit(t.http, cast.admin, { kind: 'TANK' });
      await create({ name: 'Rack Z', kind: 'RACK', parentId: tank.id }).expect(201);
      const response = await create({ name: 'rack z', kind: 'RACK', parentId: tank.id }).expect(409);
      expect(response.body.code).toBe('DUPLICATE');
    });
  });

  describe('GET /storage-units/:id', () => {
    it('shows a unit with its children, and a box with its occupied positions', async () => {
      const { root, rack, box } = await aBox(t.http, cast.admin, { rows: 2, cols: 2 });
      const tank = await t.http
        .get(`/api/v1/storage-units/${root.id}`)
        .set(...bearer(cast.technician))
        .expect(200);
      expect(tank.body.children.map((c: { id: string }) => c.id)).toEqual([rack.id]);
      expect(tank.body.occupiedPositions).toBeNull();

      const batch = await aCultureCompleteBatch(t.http, cast);
      const [vial] = await frozenVials(t.http, cast.technician, batch.id, [
        { boxId: box.id, row: 2, col: 1 },
      ]);
      const shown = await t.http
        .get(`/api/v1/storage-units/${box.id}`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(shown.body).toMatchObject({ kind: 'BOX', rows: 2, cols: 2, children: [] });
      expect(shown.body.occupiedPositions).toEqual([
        { row: 2, col: 1, vialId: vial.id, label: vial.label, status: 'STORED', batchId: batch.id },
      ]);
    });

    it('is not for doctors (403), 400 for a bad id, 404 for an unknown one', async () => {
      const { box } = await aBox(t.http, cast.admin);
      await t.http
        .get(`/api/v1/storage-units/${box.id}`)
        .set(...bearer(cast.doctor))
        .expect(403);
      const bad = await t.http
        .get('/api/v1/storage-units/not-a-uuid')
        .set(...bearer(cast.admin))
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await t.http
        .get('/api/v1/storage-units/00000000-0000-4000-8000-000000000000')
        .set(...bearer(cast.admin))
        .expect(404);
    });
  });

  describe('GET /storage-units/:id/free-positions', () => {
    it('lists free positions under a unit in a stable order, boxes by path, skipping occupied ones', async () => {
      const root = await aStorageUnit(t.http, cast.admin, { kind: 'TANK' });
      const rack = await aStorageUnit(t.http, cast.admin, {
        kind: 'RACK',
        parentId: root.id,
        name: 'Rack 1',
      });
      const boxB = await aStorageUnit(t.http, cast.admin, {
        kind: 'BOX',
        parentId: rack.id,
        rows: 2,
        cols: 2,
        name: 'Box B',
      });
      const boxA = await aStorageUnit(t.http, cast.admin, {
        kind: 'BOX',
        parentId: rack.id,
        rows: 1,
        cols: 2,
        name: 'Box A',
      });
      const batch = await aCultureCompleteBatch(t.http, cast);
      await frozenVials(t.http, cast.technician, batch.id, [{ boxId: boxA.id, row: 1, col: 1 }]);

      const all = await t.http
        .get(`/api/v1/storage-units/${root.id}/free-positions?count=10`)
        .set(...bearer(cast.technician))
        .expect(200);
      expect(all.body).toEqual([
        { boxId: boxA.id, row: 1, col: 2 },
        { boxId: boxB.id, row: 1, col: 1 },
        { boxId: boxB.id, row: 1, col: 2 },
        { boxId: boxB.id, row: 2, col: 1 },
        { boxId: boxB.id, row: 2, col: 2 },
      ]);
      const two = await t.http
        .get(`/api/v1/storage-units/${rack.id}/free-positions?count=2`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(two.body).toEqual(all.body.slice(0, 2));
      const inBox = await t.http
        .get(`/api/v1/storage-units/${boxB.id}/free-positions?count=3`)
        .set(...bearer(cast.admin))
        .expect(200);
      expect(inBox.body).toEqual(all.body.slice(1, 4));
    });

    it('checks count (400) and the unit (404), and is not for doctors (403)', async () => {
      const { box } = await aBox(t.http, cast.admin);
      for (const count of ['0', '1001', 'ten']) {
        const response = await t.http
          .get(`/api/v1/storage-units/${box.id}/free-positions?count=${count}`)
          .set(...bearer(cast.admin))
          .expect(400);
        expect(response.body.details.fields[0].field).toBe('count');
      }
      await t.http
        .get('/api/v1/storage-units/00000000-0000-4000-8000-000000000000/free-positions')
        .set(...bearer(cast.admin))
        .expect(404);
      await t.http
        .get(`/api/v1/storage-units/${box.id}/free-positions`)
        .set(...bearer(cast.doctor))
        .expect(403);
    });
  });
});
