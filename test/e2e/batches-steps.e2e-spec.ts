import {
  aBatch,
  aBatchInCulture,
  aCultureCompleteBatch,
  aStep,
  FIXTURE_TIMES,
  minutesAgo,
} from '../support/batch-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const hoursAgo = (hours: number): string => new Date(Date.now() - hours * HOUR).toISOString();

describe('batch steps: isolation, passages, counts, final harvest', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (who: { token: string }, batchId: string, step: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/batches/${batchId}/${step}`)
      .set(...bearer(who))
      .send(body);
  const view = async (batchId: string) =>
    (
      await t.http
        .get(`/api/v1/batches/${batchId}`)
        .set(...bearer(cast.qa))
        .expect(200)
    ).body;
  const rows = async (sql: string, params: unknown[]) => (await t.sql.query(sql, params)).rows;
  const auditActions = async (batchId: string): Promise<string[]> =>
    (await rows('SELECT action FROM audit_entries WHERE entity_id = $1 ORDER BY seq', [batchId])).map(
      (r) => r.action,
    );
  const fields = (response: { body: { details: { fields: { field: string }[] } } }) =>
    response.body.details.fields.map((f) => f.field);

  const isolation = (overrides: Record<string, unknown> = {}) => ({
    performedAt: minutesAgo(FIXTURE_TIMES.isolation),
    cellCount: 100_000,
    viabilityPct: 95,
    ...overrides,
  });
  const passage = (passageNumber: number, overrides: Record<string, unknown> = {}) => ({
    passageNumber,
    performedAt: minutesAgo(FIXTURE_TIMES.p1 - passageNumber),
    cellsHarvested: 1_600_000,
    viabilityPct: 95,
    cellsSeeded: 400_000,
    ...overrides,
  });

  describe('isolation', () => {
    it('moves a RECEIVED batch IN_CULTURE at passage 0, audited on the batch', async () => {
      const batch = await aBatch(t.http, cast);
      const response = await post(
        cast.technician,
        batch.id,
        'isolation',
        isolation({ tissueWeightG: 18.5 }),
      ).expect(201);
      expect(response.body).toMatchObject({
        batchId: batch.id,
        batchStatus: 'IN_CULTURE',
        currentPassage: 0,
        cellCount: 100_000,
        tissueWeightG: 18.5,
      });
      expect(await view(batch.id)).toMatchObject({ status: 'IN_CULTURE', currentPassage: 0 });
      expect(await auditActions(batch.id)).toEqual(['batch.created', 'batch.isolation_recorded']);
    });

    it('isolates a batch once (INVALID_TRANSITION)', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const response = await post(cast.technician, batch.id, 'isolation', isolation()).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
    });

    it('refuses an isolation dated before the harvest was received (400 performedAt), writing nothing', async () => {
      const batch = await aBatch(t.http, cast);
      const response = await post(
        cast.technician,
        batch.id,
        'isolation',
        isolation({ performedAt: hoursAgo(2) }),
      ).expect(400);
      expect(fields(response)).toEqual(['performedAt']);
      expect(await rows('SELECT 1 FROM batch_isolations WHERE batch_id = $1', [batch.id])).toHaveLength(0);
      expect((await view(batch.id)).status).toBe('RECEIVED');
    });

    it('records the material lots used, and refuses an expired one (LOT_EXPIRED) or an unknown one (404) writing nothing', async () => {
      const lot = await aMaterialLot(t.http, cast.qa.token);
      const batch = await aBatch(t.http, cast);
      await post(cast.technician, batch.id, 'isolation', isolation({ materialLotIds: [lot.id] })).expect(201);
      expect(
        await rows('SELECT event_type FROM material_usages WHERE batch_id = $1 AND lot_id = $2', [
          batch.id,
          lot.id,
        ]),
      ).toEqual([{ event_type: 'ISOLATION' }]);

      const expired = await aMaterialLot(t.http, cast.qa.token, { expiresAt: '2020-01-31' });
      const other = await aBatch(t.http, cast);
      const refused = await post(
        cast.technician,
        other.id,
        'isolation',
        isolation({ materialLotIds: [expired.id] }),
      ).expect(422);
      expect(refused.body.code).toBe('LOT_EXPIRED');
      const unknown = await post(
        cast.technician,
        other.id,
        'isolation',
        isolation({ materialLotIds: ['00000000-0000-4000-8000-000000000001'] }),
      );
      expect(unknown.status).toBe(404);
      expect(await rows('SELECT 1 FROM batch_isolations WHERE batch_id = $1', [other.id])).toHaveLength(0);
      expect((await view(other.id)).status).toBe('RECEIVED');
    });

    it.each([
      ['cellCount', { cellCount: 0 }],
      ['cellCount', { cellCount: 1e12 + 1 }],
      ['cellCount', { cellCount: '100000' }],
      ['viabilityPct', { viabilityPct: 100.5 }],
      ['viabilityPct', { viabilityPct: 95.123 }],
      ['performedAt', { performedAt: '2026-11-02 10:00' }],
      ['performedAt', { performedAt: new Date(Date.now() + HOUR).toISOString() }],
      ['tissueWeightG', { tissueWeightG: -1 }],
      ['materialLotIds', { materialLotIds: ['nope'] }],
      ['passageNumber', { passageNumber: 0 }],
    ])('refuses bad input naming %s, writing nothing', async (field, overrides) => {
      const batch = await aBatch(t.http, cast);
      const response = await post(cast.technician, batch.id, 'isolation', isolation(overrides)).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fields(response)).toContain(field);
      expect(await rows('SELECT 1 FROM batch_isolations WHERE batch_id = $1', [batch.id])).toHaveLength(0);
    });

    it('refuses a path id that is not a UUID (400) and answers 404 for an unknown batch', async () => {
      expect(fields(await post(cast.technician, 'nope', 'isolation', isolation()).expect(400))).toEqual([
        'id',
      ]);
      await post(cast.technician, '00000000-0000-4000-8000-000000000002', 'isolation', isolation()).expect(
        404,
      );
    });

    it.each(['doctor', 'qa', 'admin'] as const)('refuses a %s (FORBIDDEN) on every step', async (role) => {
      const batch = await aBatch(t.http, cast);
      const who = role === 'doctor' ? cast.doctor : role === 'qa' ? cast.qa : { token: cast.admin };
      for (const step of ['isolation', 'passages', 'cell-counts', 'final-harvest']) {
        expect((await post(who, batch.id, step, {}).expect(403)).body.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('passages', () => {
    it('computes population doublings and doubling time: 1e5 plated grown to 1.6e6 in 48 minutes is 4 doublings of 12 minutes', async () => {
      const batch = await aBatch(t.http, cast);
      const isolatedAt = new Date(Date.now() - 50 * 60_000);
      await aStep(
        t.http,
        cast.technician,
        batch.id,
        'isolation',
        isolation({ performedAt: isolatedAt.toISOString() }),
      );
      const response = await post(
        cast.technician,
        batch.id,
        'passages',
        passage(1, { performedAt: new Date(isolatedAt.getTime() + 48 * 60_000).toISOString() }),
      ).expect(201);
      expect(response.body).toMatchObject({
        passageNumber: 1,
        populationDoublings: 4,
        cumulativePopulationDoublings: 4,
      });
      expect(response.body.doublingTimeHours).toBeCloseTo(0.2, 10);
      expect(Object.keys(response.body)).toEqual(
        expect.arrayContaining([
          'id',
          'passageNumber',
          'populationDoublings',
          'cumulativePopulationDoublings',
          'doublingTimeHours',
        ]),
      );
      expect(await view(batch.id)).toMatchObject({ currentPassage: 1, cumulativePopulationDoublings: 4 });
    });

    it('refuses a passage before the isolation (INVALID_TRANSITION)', async () => {
      const batch = await aBatch(t.http, cast);
      expect((await post(cast.technician, batch.id, 'passages', passage(1)).expect(409)).body.code).toBe(
        'INVALID_TRANSITION',
      );
    });

    it('refuses a skipped or repeated passage number (PASSAGE_OUT_OF_ORDER)', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const skipped = await post(cast.technician, batch.id, 'passages', passage(3)).expect(422);
      expect(skipped.body).toMatchObject({ code: 'PASSAGE_OUT_OF_ORDER', details: { expected: 2 } });
      const repeated = await post(cast.technician, batch.id, 'passages', passage(1)).expect(422);
      expect(repeated.body.code).toBe('PASSAGE_OUT_OF_ORDER');
      expect(await rows('SELECT 1 FROM batch_passages WHERE batch_id = $1', [batch.id])).toHaveLength(1);
    });

    it("refuses P6 when the specification's maximum is P5 (PASSAGE_LIMIT_EXCEEDED)", async () => {
      const batch = await aBatch(t.http, cast);
      await aStep(t.http, cast.technician, batch.id, 'isolation', isolation());
      for (let n = 1; n <= 5; n++) await aStep(t.http, cast.technician, batch.id, 'passages', passage(n));
      const response = await post(cast.technician, batch.id, 'passages', passage(6)).expect(422);
      expect(response.body).toMatchObject({ code: 'PASSAGE_LIMIT_EXCEEDED', details: { maxPassage: 5 } });
      expect((await view(batch.id)).currentPassage).toBe(5);
    });

    it('refuses a passage dated before the seeding it ends (400 performedAt)', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const response = await post(
        cast.technician,
        batch.id,
        'passages',
        passage(2, { performedAt: minutesAgo(FIXTURE_TIMES.p1 + 1) }),
      ).expect(400);
      expect(fields(response)).toEqual(['performedAt']);
      expect((await view(batch.id)).currentPassage).toBe(1);
    });

    it('lets exactly one of two technicians recording the same passage at once win', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const responses = await Promise.all([
        post(cast.technician, batch.id, 'passages', passage(2)),
        post(cast.technician2, batch.id, 'passages', passage(2)),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 422]);
      expect(responses.find((r) => r.status === 422)?.body.code).toBe('PASSAGE_OUT_OF_ORDER');
      expect(
        await rows('SELECT 1 FROM batch_passages WHERE batch_id = $1 AND passage_number = 2', [batch.id]),
      ).toHaveLength(1);
    });

    it('corrects a passage: new doublings and projection, the original kept superseded in lineage and audit', async () => {
      const batch = await aBatch(t.http, cast, { targetCellCount: 1_000_000_000 });
      await aStep(t.http, cast.technician, batch.id, 'isolation', isolation());
      const p1 = await aStep(
        t.http,
        cast.technician,
        batch.id,
        'passages',
        passage(1, { performedAt: minutesAgo(FIXTURE_TIMES.p1) }),
      );
      const p2 = await aStep(
        t.http,
        cast.technician,
        batch.id,
        'passages',
        passage(2, { performedAt: minutesAgo(FIXTURE_TIMES.p2) }),
      );
      const before = await view(batch.id);
      expect(before.cumulativePopulationDoublings).toBeCloseTo(6, 10);
      expect(before.projectedReadyAt).not.toBeNull();

      const corrected = await post(cast.technician2, batch.id, 'passages', {
        ...passage(1, { performedAt: minutesAgo(FIXTURE_TIMES.p1), cellsHarvested: 800_000 }),
        correctsId: p1.id,
        reason: 'Typed 1.6e6 from the wrong counter sheet; the count was 8e5',
      }).expect(201);
      expect(corrected.body).toMatchObject({
        passageNumber: 1,
        populationDoublings: 3,
        cumulativePopulationDoublings: 3,
        correctsId: p1.id,
      });

      const after = await view(batch.id);
      expect(after.currentPassage).toBe(2);
      expect(after.cumulativePopulationDoublings).toBeCloseTo(5, 10);
      expect(after.projectedReadyAt).not.toEqual(before.projectedReadyAt);
      expect(after.passages.map((p: { id: string }) => p.id)).toEqual([corrected.body.id, p2.id]);

      const lineage = (
        await t.http
          .get(`/api/v1/batches/${batch.id}/lineage`)
          .set(...bearer(cast.doctor))
          .expect(200)
      ).body;
      const passages = lineage.events.filter((e: { type: string }) => e.type === 'PASSAGE');
      expect(passages).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: p1.id,
            superseded: true,
            supersededBy: corrected.body.id,
            totalCells: 1_600_000,
          }),
          expect.objectContaining({
            id: corrected.body.id,
            superseded: false,
            correctsId: p1.id,
            totalCells: 800_000,
          }),
        ]),
      );
      const audit = await rows(
        `SELECT action, reason, before, after FROM audit_entries WHERE entity_id = $1 AND action = 'batch.passage_corrected'`,
        [batch.id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].reason).toMatch(/wrong counter sheet/);
      expect(audit[0].before.passage.cellsHarvested).toBe(1_600_000);
      expect(audit[0].after.passage.cellsHarvested).toBe(800_000);
    });

    it('refuses corrections that name nothing of this batch (404), lack a reason (400), change the number (422) or fork history (409)', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const other = await aBatchInCulture(t.http, cast);
      const [p1] = await rows('SELECT id FROM batch_passages WHERE batch_id = $1', [batch.id]);
      const [foreign] = await rows('SELECT id FROM batch_passages WHERE batch_id = $1', [other.id]);
      const correction = (overrides: Record<string, unknown>) => ({
        ...passage(1),
        correctsId: p1.id,
        reason: 'Typo',
        ...overrides,
      });

      expect(
        fields(
          await post(cast.technician, batch.id, 'passages', correction({ reason: undefined })).expect(400),
        ),
      ).toEqual(['reason']);
      await post(cast.technician, batch.id, 'passages', correction({ correctsId: foreign.id })).expect(404);
      await post(
        cast.technician,
        batch.id,
        'passages',
        correction({ correctsId: '00000000-0000-4000-8000-000000000003' }),
      ).expect(404);
      expect(
        (await post(cast.technician, batch.id, 'passages', correction({ passageNumber: 2 })).expect(422)).body
          .code,
      ).toBe('PASSAGE_OUT_OF_ORDER');

      const results = await Promise.all([
        post(cast.technician, batch.id, 'passages', correction({ cellsHarvested: 1_500_000 })),
        post(cast.technician2, batch.id, 'passages', correction({ cellsHarvested: 1_400_000 })),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await rows('SELECT 1 FROM batch_passages WHERE batch_id = $1', [batch.id])).toHaveLength(2);
      expect((await view(batch.id)).currentPassage).toBe(1);
    });

    it('refuses a correction that would place the passage after the step that follows it (400 performedAt)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const [p1] = await rows('SELECT id FROM batch_passages WHERE batch_id = $1 AND passage_number = 1', [
        batch.id,
      ]);
      const response = await post(cast.technician, batch.id, 'passages', {
        ...passage(1, { performedAt: minutesAgo(FIXTURE_TIMES.p2 - 1) }),
        correctsId: p1.id,
        reason: 'Wrong time',
      }).expect(400);
      expect(fields(response)).toEqual(['performedAt']);
    });
  });

  describe('cell counts', () => {
    it('records an in-passage count on the current passage, shown as the latest count', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const countedAt = minutesAgo(FIXTURE_TIMES.p1 - 5);
      const response = await post(cast.technician, batch.id, 'cell-counts', {
        countedAt,
        totalCells: 900_000,
        viabilityPct: 96,
        method: 'NC-200',
      }).expect(201);
      expect(response.body).toMatchObject({
        passageNumber: 1,
        totalCells: 900_000,
        method: 'NC-200',
        batchStatus: 'IN_CULTURE',
      });
      expect((await view(batch.id)).latestCount).toMatchObject({
        totalCells: 900_000,
        viabilityPct: 96,
        at: new Date(countedAt).toISOString(),
      });
    });

    it('refuses a count outside culture (INVALID_TRANSITION): before isolation and after the final harvest', async () => {
      const received = await aBatch(t.http, cast);
      const body = { countedAt: minutesAgo(1), totalCells: 900_000, viabilityPct: 96 };
      expect((await post(cast.technician, received.id, 'cell-counts', body).expect(409)).body.code).toBe(
        'INVALID_TRANSITION',
      );
      const complete = await aCultureCompleteBatch(t.http, cast);
      expect((await post(cast.technician, complete.id, 'cell-counts', body).expect(409)).body.code).toBe(
        'INVALID_TRANSITION',
      );
    });

    it('refuses a count dated before the current passage began (400 countedAt)', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const response = await post(cast.technician, batch.id, 'cell-counts', {
        countedAt: minutesAgo(FIXTURE_TIMES.p1 + 2),
        totalCells: 900_000,
        viabilityPct: 96,
      }).expect(400);
      expect(fields(response)).toEqual(['countedAt']);
      expect(await rows('SELECT 1 FROM batch_cell_counts WHERE batch_id = $1', [batch.id])).toHaveLength(0);
    });

    it('corrects a count, keeping the original superseded', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const first = await aStep(t.http, cast.technician, batch.id, 'cell-counts', {
        countedAt: minutesAgo(5),
        totalCells: 900_000,
        viabilityPct: 96,
      });
      const fixed = await post(cast.technician, batch.id, 'cell-counts', {
        countedAt: minutesAgo(5),
        totalCells: 9_000_000,
        viabilityPct: 96,
        correctsId: first.id,
        reason: 'Missed a zero',
      }).expect(201);
      expect(fixed.body).toMatchObject({ correctsId: first.id, passageNumber: 1 });
      expect((await view(batch.id)).latestCount.totalCells).toBe(9_000_000);
      expect(await rows('SELECT superseded_by FROM batch_cell_counts WHERE id = $1', [first.id])).toEqual([
        { superseded_by: fixed.body.id },
      ]);
      expect(await auditActions(batch.id)).toContain('batch.cell_count_corrected');
    });
  });

  describe('final harvest', () => {
    it('completes the culture, yields floor(totalCells * viability) viable cells and tells the jobs', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const response = await post(cast.technician, batch.id, 'final-harvest', {
        performedAt: minutesAgo(10),
        totalCells: 123_456_789,
        viabilityPct: 91.37,
      }).expect(201);
      const viable = Math.floor((123_456_789 * 9137) / 10000);
      expect(response.body).toMatchObject({ batchStatus: 'CULTURE_COMPLETE', viableCells: viable });
      expect(await view(batch.id)).toMatchObject({
        status: 'CULTURE_COMPLETE',
        viableCellsYielded: viable,
        cellsRemaining: viable,
        projectedReadyAt: null,
      });
      expect(await rows(`SELECT type FROM outbox_events WHERE subject_id = $1`, [batch.id])).toEqual([
        { type: 'batch.culture_complete' },
      ]);
      expect(
        (
          await post(cast.technician, batch.id, 'final-harvest', {
            performedAt: minutesAgo(5),
            totalCells: 1e8,
            viabilityPct: 90,
          }).expect(409)
        ).body.code,
      ).toBe('INVALID_TRANSITION');
    });

    it('refuses a final harvest before isolation (INVALID_TRANSITION)', async () => {
      const batch = await aBatch(t.http, cast);
      await post(cast.technician, batch.id, 'final-harvest', {
        performedAt: minutesAgo(5),
        totalCells: 1e8,
        viabilityPct: 90,
      }).expect(409);
    });

    it('corrects the final harvest while undecided, re-setting the viable cells yielded', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const [current] = await rows('SELECT id FROM batch_final_harvests WHERE batch_id = $1', [batch.id]);
      await post(cast.technician2, batch.id, 'final-harvest', {
        performedAt: minutesAgo(FIXTURE_TIMES.finalHarvest),
        totalCells: 150_000_000,
        viabilityPct: 80,
        correctsId: current.id,
        reason: 'Viability re-read from the analyser printout',
      }).expect(201);
      expect(await view(batch.id)).toMatchObject({
        status: 'CULTURE_COMPLETE',
        viableCellsYielded: 120_000_000,
      });
    });

    it('refuses a correction yielding fewer viable cells than already drawn (INSUFFICIENT_CELLS)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      // Surplus banked before release draws from the yield (the bank module's cryopreservation, simulated).
      await t.sql.query('UPDATE batches SET cells_drawn = 150000000 WHERE id = $1', [batch.id]);
      const [current] = await rows('SELECT id FROM batch_final_harvests WHERE batch_id = $1', [batch.id]);
      const response = await post(cast.technician, batch.id, 'final-harvest', {
        performedAt: minutesAgo(FIXTURE_TIMES.finalHarvest),
        totalCells: 150_000_000,
        viabilityPct: 80,
        correctsId: current.id,
        reason: 'Recount',
      }).expect(422);
      expect(response.body.code).toBe('INSUFFICIENT_CELLS');
      expect(
        await rows('SELECT superseded_by FROM batch_final_harvests WHERE id = $1', [current.id]),
      ).toEqual([{ superseded_by: null }]);
      expect((await view(batch.id)).viableCellsYielded).toBe(180_000_000);
    });

    it('refuses corrections of any entry once the batch is decided (INVALID_TRANSITION)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'Flask contaminated' })
        .expect(200);
      const [harvest] = await rows('SELECT id FROM batch_final_harvests WHERE batch_id = $1', [batch.id]);
      const [p1] = await rows('SELECT id FROM batch_passages WHERE batch_id = $1 AND passage_number = 1', [
        batch.id,
      ]);
      const fix = { reason: 'Too late' };
      const responses = [
        await post(cast.technician, batch.id, 'final-harvest', {
          performedAt: minutesAgo(20),
          totalCells: 1e8,
          viabilityPct: 90,
          correctsId: harvest.id,
          ...fix,
        }),
        await post(cast.technician, batch.id, 'passages', {
          ...passage(1, { performedAt: minutesAgo(FIXTURE_TIMES.p1) }),
          correctsId: p1.id,
          ...fix,
        }),
      ];
      expect(responses.map((r) => [r.status, r.body.code])).toEqual([
        [409, 'INVALID_TRANSITION'],
        [409, 'INVALID_TRANSITION'],
      ]);
    });
  });
});
