import { randomInt, randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/transaction/actor';
import { Transactions } from '../../src/common/transaction/transactions.service';
import { MaterialsService, MaterialUsage } from '../../src/materials/materials.service';
import { aMaterialLot, aReceivedHarvest, aScreenedDonor } from '../support/donor-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

const DAY = 24 * 3_600_000;

describe('material lots and their usage', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  function register(who: Person | string, body: Record<string, unknown>) {
    return t.http
      .post('/api/v1/material-lots')
      .set(...bearer(who))
      .send({
        kind: 'MEDIUM',
        name: 'MSC expansion medium',
        lotNumber: unique('M-'),
        expiresAt: '2030-06-30',
        ...body,
      });
  }

  async function lotCount(): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM material_lots');
    return rows[0].n;
  }

  /** A batch row written behind the app's back: the batches module is not what is under test here. */
  async function aBatchRow(): Promise<{ id: string; donorCode: string }> {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const harvest = await aReceivedHarvest(t.http, cast.doctor, cast.technician, donor);
    const din = `Z9999${String(randomInt(0, 100)).padStart(2, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const { rows } = await t.sql.query<{ id: string }>(
      `INSERT INTO batches (din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
                            target_cell_count, created_by)
       SELECT $1, 'A', $2, $3, $4, 'CULTURED_ADSC', s.id, 100000000, $5
         FROM specifications s WHERE s.product_type = 'CULTURED_ADSC' AND s.active
       RETURNING id`,
      [din, harvest.id, donor.id, donor.clinicId, cast.technician.id],
    );
    return { id: rows[0].id, donorCode: donor.code };
  }

  function recordUsage(usage: Omit<MaterialUsage, 'eventId'> & { eventId?: string }): Promise<unknown> {
    const materials = t.app.get(MaterialsService);
    return t.app
      .get(Transactions)
      .run(SYSTEM_ACTOR, (tx) => materials.recordUsage(tx, { eventId: randomUUID(), ...usage }));
  }

  async function usageCount(batchId: string): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM material_usages WHERE batch_id = $1',
      [batchId],
    );
    return rows[0].n;
  }

  describe('registration', () => {
    it('registers a lot whose label date is usable through the end of that day in Tokyo', async () => {
      const lotNumber = unique('C-');
      const response = await register(cast.qa, {
        kind: 'COLLAGENASE',
        lotNumber,
        expiresAt: '2030-03-31',
      }).expect(201);
      expect(response.body).toMatchObject({
        id: expect.any(String),
        kind: 'COLLAGENASE',
        lotNumber,
        expiresAt: '2030-03-31T15:00:00.000Z',
        expired: false,
        createdBy: cast.qa.id,
      });
      const audit = await t.sql.query('SELECT action FROM audit_entries WHERE entity_id = $1', [
        response.body.id,
      ]);
      expect(audit.rows).toEqual([{ action: 'material_lot.registered' }]);
    });

    it('takes an exact timestamp with a zone as the end of the shelf life', async () => {
      const response = await register(cast.admin, { expiresAt: '2030-03-31T12:00:00+09:00' }).expect(201);
      expect(response.body.expiresAt).toBe('2030-03-31T03:00:00.000Z');
    });

    it('refuses a second lot of the same kind and lot number (409 DUPLICATE), but not of another kind', async () => {
      const lotNumber = unique('D-');
      await register(cast.qa, { kind: 'SUPPLEMENT', lotNumber }).expect(201);
      const before = await lotCount();
      const duplicate = await register(cast.admin, {
        kind: 'SUPPLEMENT',
        lotNumber,
        name: 'Other name',
      }).expect(409);
      expect(duplicate.body.code).toBe('DUPLICATE');
      expect(await lotCount()).toBe(before);
      await register(cast.qa, { kind: 'OTHER', lotNumber }).expect(201);
    });

    it('lets exactly one of concurrent registrations of one lot win', async () => {
      const lotNumber = unique('R-');
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => register(cast.qa, { kind: 'DISSOCIATION', lotNumber })),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it('lets only admins and qa register lots (403 for technicians and doctors)', async () => {
      const before = await lotCount();
      for (const who of [cast.technician, cast.doctor]) {
        const response = await register(who, {}).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      expect(await lotCount()).toBe(before);
    });

    it.each([
      ['an unknown kind', { kind: 'ANTIBIOTIC' }, 'kind'],
      ['an impossible date', { expiresAt: '2030-02-30' }, 'expiresAt'],
      ['a timestamp without a zone', { expiresAt: '2030-03-31T12:00:00' }, 'expiresAt'],
      ['a date in another format', { expiresAt: '31/03/2030' }, 'expiresAt'],
      ['a blank lot number', { lotNumber: '   ' }, 'lotNumber'],
      ['a lot number with surrounding spaces', { lotNumber: ' L123 ' }, 'lotNumber'],
      ['a missing name', { name: undefined }, 'name'],
      ['an unknown property', { createdBy: randomUUID() }, 'createdBy'],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
      const before = await lotCount();
      const response = await register(cast.qa, body).expect(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await lotCount()).toBe(before);
    });
  });

  describe('list', () => {
    it('lists lots newest first for admins, qa and technicians, by kind, page by page', async () => {
      const kind = 'CRYOPROTECTANT';
      const created = [];
      for (let i = 0; i < 3; i++) created.push(await aMaterialLot(t.http, cast.qa, { kind }));
      const expired = await aMaterialLot(t.http, cast.admin, { kind, expiresAt: '2020-01-31' });
      const mine = new Set([...created, expired].map((l) => l.id));
      for (const who of [cast.admin, cast.qa, cast.technician]) {
        // Other test files share the database, so walk every page and look at this test's lots among them.
        const seen: { id: string; kind: string; expired: boolean }[] = [];
        let cursor: string | null = null;
        do {
          const page: {
            body: { items: { id: string; kind: string; expired: boolean }[]; nextCursor: string | null };
          } = await t.http
            .get('/api/v1/material-lots')
            .query({ kind, limit: 3, ...(cursor ? { cursor } : {}) })
            .set(...bearer(who))
            .expect(200);
          expect(page.body.items.length).toBeLessThanOrEqual(3);
          seen.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor);
        expect(seen.every((l) => l.kind === kind)).toBe(true);
        expect(new Set(seen.map((l) => l.id)).size).toBe(seen.length);
        const ours = seen.filter((l) => mine.has(l.id));
        expect(ours.map((l) => l.id)).toEqual([expired.id, ...created.map((l) => l.id).reverse()]);
        expect(ours.map((l) => l.expired)).toEqual([true, false, false, false]);
      }
    });

    it('finds a lot by its lot number, and refuses doctors (403) and bad queries (400)', async () => {
      const lot = await aMaterialLot(t.http, cast.qa);
      const found = await t.http
        .get('/api/v1/material-lots')
        .query({ lotNumber: lot.lotNumber })
        .set(...bearer(cast.technician))
        .expect(200);
      expect(found.body.items.map((l: { id: string }) => l.id)).toEqual([lot.id]);
      await t.http
        .get('/api/v1/material-lots')
        .set(...bearer(cast.doctor))
        .expect(403);
      await t.http
        .get('/api/v1/material-lots')
        .query({ kind: 'WATER' })
        .set(...bearer(cast.qa))
        .expect(400);
    });
  });

  describe('MaterialsService.recordUsage', () => {
    it('records each lot used by a step of a batch', async () => {
      const batch = await aBatchRow();
      const [a, b] = await Promise.all([
        aMaterialLot(t.http, cast.qa),
        aMaterialLot(t.http, cast.qa, { kind: 'MEDIUM' }),
      ]);
      const used = await recordUsage({
        lotIds: [a.id, b.id],
        batchId: batch.id,
        eventType: 'ISOLATION',
        usedAt: new Date(),
      });
      expect(used).toEqual([
        expect.objectContaining({ id: a.id, lotNumber: a.lotNumber }),
        expect.objectContaining({ id: b.id, kind: 'MEDIUM' }),
      ]);
      expect(await usageCount(batch.id)).toBe(2);
    });

    it('does nothing for a step that used no lot', async () => {
      const batch = await aBatchRow();
      await expect(
        recordUsage({ lotIds: [], batchId: batch.id, eventType: 'PASSAGE', usedAt: new Date() }),
      ).resolves.toEqual([]);
      expect(await usageCount(batch.id)).toBe(0);
    });

    it('refuses an unknown lot (404 naming it) and writes no usage at all', async () => {
      const batch = await aBatchRow();
      const known = await aMaterialLot(t.http, cast.qa);
      const unknown = randomUUID();
      await expect(
        recordUsage({
          lotIds: [known.id, unknown],
          batchId: batch.id,
          eventType: 'PASSAGE',
          usedAt: new Date(),
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { id: unknown, lotIds: [unknown] } });
      expect(await usageCount(batch.id)).toBe(0);
    });

    it('refuses a lot expired at the time of the step (422 LOT_EXPIRED), judged on the facility calendar', async () => {
      const batch = await aBatchRow();
      const lot = await aMaterialLot(t.http, cast.qa, { expiresAt: '2026-01-31' });
      // The last minute of 31 January in Tokyo is still within the shelf life; its first minute of February is not.
      await expect(
        recordUsage({
          lotIds: [lot.id],
          batchId: batch.id,
          eventType: 'DOSE',
          usedAt: new Date('2026-01-31T23:59:00+09:00'),
        }),
      ).resolves.toHaveLength(1);
      await expect(
        recordUsage({
          lotIds: [lot.id],
          batchId: batch.id,
          eventType: 'DOSE',
          usedAt: new Date('2026-02-01T00:00:00+09:00'),
        }),
      ).rejects.toMatchObject({
        code: 'LOT_EXPIRED',
        details: { lots: [expect.objectContaining({ id: lot.id })] },
      });
      expect(await usageCount(batch.id)).toBe(1);
    });

    it('refuses a lot named twice (400)', async () => {
      const batch = await aBatchRow();
      const lot = await aMaterialLot(t.http, cast.qa);
      await expect(
        recordUsage({
          lotIds: [lot.id, lot.id],
          batchId: batch.id,
          eventType: 'ISOLATION',
          usedAt: new Date(),
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [expect.objectContaining({ field: 'materialLotIds' })] },
      });
      expect(await usageCount(batch.id)).toBe(0);
    });
  });

  describe('recall list', () => {
    it('lists the batches whose events used the lot, with their events and doses, and the donors to follow up', async () => {
      const lot = await aMaterialLot(t.http, cast.qa, { kind: 'COLLAGENASE' });
      const other = await aMaterialLot(t.http, cast.qa);
      const first = await aBatchRow();
      const second = await aBatchRow();
      const unrelated = await aBatchRow();
      const isolation = randomUUID();
      await recordUsage({
        lotIds: [lot.id],
        batchId: first.id,
        eventType: 'ISOLATION',
        eventId: isolation,
        usedAt: new Date(Date.now() - 3 * DAY),
      });
      await recordUsage({
        lotIds: [lot.id, other.id],
        batchId: second.id,
        eventType: 'PASSAGE',
        usedAt: new Date(Date.now() - 2 * DAY),
      });
      await recordUsage({
        lotIds: [other.id],
        batchId: unrelated.id,
        eventType: 'ISOLATION',
        usedAt: new Date(),
      });
      const doses = await t.sql.query<{ id: string }>(
        `INSERT INTO doses (batch_id, label, cells, volume_ml, formulated_at, expires_at, formulated_by, status, administered_at, site)
         VALUES ($1, $2, 50000000, 2, now() - interval '1 day', now() + interval '1 day', $3, 'ADMINISTERED', now(), 'LEFT_KNEE'),
                ($1, $4, 40000000, 2, now() - interval '1 day', now() + interval '1 day', $3, 'FORMULATED', NULL, NULL)
         RETURNING id`,
        [first.id, unique('DOSE-A-'), cast.technician.id, unique('DOSE-B-')],
      );
      await recordUsage({
        lotIds: [lot.id],
        batchId: first.id,
        eventType: 'DOSE',
        eventId: doses.rows[0].id,
        usedAt: new Date(Date.now() - DAY),
      });

      for (const who of [cast.qa, cast.admin]) {
        const response = await t.http
          .get(`/api/v1/material-lots/${lot.id}/usage`)
          .set(...bearer(who))
          .expect(200);
        expect(response.body.lot).toMatchObject({ id: lot.id, lotNumber: lot.lotNumber });
        expect(response.body.batches.map((b: { id: string }) => b.id)).toEqual([first.id, second.id]);
        const [firstBatch, secondBatch] = response.body.batches;
        expect(firstBatch).toMatchObject({ donorCode: first.donorCode, clinicId: cast.clinic.id, vials: [] });
        expect(firstBatch.events).toEqual([
          { eventType: 'ISOLATION', eventId: isolation, usedAt: expect.stringMatching(/Z$/) },
          { eventType: 'DOSE', eventId: doses.rows[0].id, usedAt: expect.stringMatching(/Z$/) },
        ]);
        expect(firstBatch.doses).toHaveLength(2);
        const administered = firstBatch.doses.find((d: { id: string }) => d.id === doses.rows[0].id);
        expect(administered).toMatchObject({
          status: 'ADMINISTERED',
          site: 'LEFT_KNEE',
          cells: 50000000,
          madeWithLot: true,
        });
        expect(administered.administeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(firstBatch.doses.find((d: { id: string }) => d.id === doses.rows[1].id)).toMatchObject({
          madeWithLot: false,
          administeredAt: null,
        });
        expect(secondBatch).toMatchObject({ donorCode: second.donorCode, doses: [], vials: [] });
      }
    });

    it('pages the list in order of first use, with a cursor that resumes after the last batch of a page', async () => {
      const lot = await aMaterialLot(t.http, cast.qa);
      const batches = [await aBatchRow(), await aBatchRow(), await aBatchRow()];
      // The same instant for the last two: the batch id breaks the tie, so no batch is skipped or repeated.
      const usedAt = [new Date(Date.now() - 3 * DAY), new Date(Date.now() - DAY), new Date(Date.now() - DAY)];
      for (const [index, batch] of batches.entries()) {
        await recordUsage({
          lotIds: [lot.id],
          batchId: batch.id,
          eventType: 'PASSAGE',
          usedAt: usedAt[index],
        });
      }
      const expected = [batches[0].id, ...[batches[1].id, batches[2].id].sort()];

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = cursor === null ? { limit: 2 } : { limit: 2, cursor };
        const page = await t.http
          .get(`/api/v1/material-lots/${lot.id}/usage`)
          .query(query)
          .set(...bearer(cast.qa))
          .expect(200);
        seen.push(...page.body.batches.map((b: { id: string }) => b.id));
        expect(page.body.lot.id).toBe(lot.id);
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 5);
      expect({ seen, pages }).toEqual({ seen: expected, pages: 2 });

      const whole = await t.http
        .get(`/api/v1/material-lots/${lot.id}/usage`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(whole.body).toMatchObject({ nextCursor: null });
      expect(whole.body.batches.map((b: { id: string }) => b.id)).toEqual(expected);
    });

    it('refuses a forged cursor and a limit out of range (400 naming the field)', async () => {
      const lot = await aMaterialLot(t.http, cast.qa);
      const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
      for (const [query, field] of [
        [{ cursor: forged }, 'cursor'],
        [{ cursor: 'not base64 json' }, 'cursor'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 201 }, 'limit'],
      ] as const) {
        const response = await t.http
          .get(`/api/v1/material-lots/${lot.id}/usage`)
          .query(query)
          .set(...bearer(cast.qa))
          .expect(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(response.body.details.fields).toEqual([expect.objectContaining({ field })]);
      }
    });

    it('answers an empty recall list for an unused lot, 404 for an unknown one, 400 for a bad id', async () => {
      const lot = await aMaterialLot(t.http, cast.admin);
      const response = await t.http
        .get(`/api/v1/material-lots/${lot.id}/usage`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(response.body.batches).toEqual([]);
      await t.http
        .get(`/api/v1/material-lots/${randomUUID()}/usage`)
        .set(...bearer(cast.qa))
        .expect(404);
      await t.http
        .get('/api/v1/material-lots/LOT-1/usage')
        .set(...bearer(cast.qa))
        .expect(400);
    });

    it('is for admins and qa only (403 for technicians and doctors)', async () => {
      const lot = await aMaterialLot(t.http, cast.admin);
      for (const who of [cast.technician, cast.doctor]) {
        await t.http
          .get(`/api/v1/material-lots/${lot.id}/usage`)
          .set(...bearer(who))
          .expect(403);
      }
    });
  });
});
