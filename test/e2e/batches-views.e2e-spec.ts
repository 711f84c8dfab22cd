import { dinCheckCharacter } from '../../src/batches/domain/din';
import {
  aBatch,
  aBatchInCulture,
  aCultureCompleteBatch,
  aStep,
  BatchRef,
  FIXTURE_TIMES,
  minutesAgo,
} from '../support/batch-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import { aDose, aQcResult, aReceivedDose, aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** The fields every batch view carries (docs/domain.md, "Growth"; BatchViewDto in /docs). */
const BATCH_VIEW_FIELDS = [
  'id',
  'din',
  'dinCheck',
  'status',
  'biohazard',
  'donorId',
  'clinicId',
  'harvestId',
  'productType',
  'targetCellCount',
  'currentPassage',
  'latestCount',
  'cumulativePopulationDoublings',
  'projectedReadyAt',
  'viableCellsYielded',
  'cellsRemaining',
  'qc',
  'openDeviations',
  'receiptDeviations',
  'readyForInjection',
  'expiresAt',
  'decision',
];

describe('batch views: view, by DIN, list, growth, chart, lineage', () => {
  let t: TestApp;
  let cast: Cast;
  let otherCast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    [cast, otherCast] = await Promise.all([aCast(t.http), aCast(t.http)]);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (who: Person | { token: string }, path: string) =>
    t.http.get(`/api/v1${path}`).set(...bearer(who));
  const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);

  describe('the batch view', () => {
    it('carries every field of the contract, with numbers as JSON numbers and times in UTC', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const response = await get(cast.doctor, `/batches/${batch.id}`).expect(200);
      expect(Object.keys(response.body)).toEqual(expect.arrayContaining(BATCH_VIEW_FIELDS));
      expect(response.body).toMatchObject({
        status: 'CULTURE_COMPLETE',
        currentPassage: 2,
        viableCellsYielded: 180_000_000,
        cellsRemaining: 180_000_000,
        targetCellCount: 100_000_000,
        latestCount: { totalCells: 200_000_000, viabilityPct: 90, kind: 'FINAL_HARVEST' },
        projectedReadyAt: null,
        qc: { complete: false, passed: true, results: [] },
      });
      expect(response.body.latestCount.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(response.body.cumulativePopulationDoublings).toBeCloseTo(
        4 + 4 + Math.log2(200_000_000 / 1_600_000),
        10,
      );
      expect(response.body.passages.map((p: { passageNumber: number }) => p.passageNumber)).toEqual([1, 2]);
    });

    it('projects the ready date while in culture, from the last three points', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const view = (await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body;
      // (isolation, 0 PD) and (P1, 4 PD) 10 minutes apart: 1e8 / 1e5 needs log2(1000) PD at 0.4 PD a minute.
      const isolatedAt = Date.parse(view.latestCount.at) - 10 * 60_000;
      const expected = isolatedAt + (Math.log2(1000) / 0.4) * 60_000;
      expect(Math.abs(Date.parse(view.projectedReadyAt) - expected)).toBeLessThan(1000);
    });

    it('shows the decision, the shelf life and the QC state of a released batch', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      const view = (await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body;
      expect(view).toMatchObject({
        status: 'RELEASED',
        qc: { complete: true, passed: true },
        decision: {
          decision: 'RELEASE',
          signerId: cast.qa.id,
          signerName: cast.qa.name,
          meaning: 'Released for clinical use',
          reason: null,
        },
        readyForInjection: false,
      });
      expect(view.qc.results).toHaveLength(7);
      expect(view.decision.recordHash).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(view.expiresAt) - Date.parse(minutesAgo(FIXTURE_TIMES.finalHarvest))).toBeGreaterThan(
        47.9 * 3_600_000,
      );
    });
  });

  describe('ready for injection', () => {
    let ready: BatchRef;

    beforeAll(async () => {
      ready = await aReleasedBatch(t.http, cast);
      await aDose(t.http, cast, ready.id);
    });

    it('is true for a released, unexpired batch with a formulated dose, in the view and the list filter alike', async () => {
      expect((await get(cast.doctor, `/batches/${ready.id}`).expect(200)).body.readyForInjection).toBe(true);
      const listed = await get(
        cast.doctor,
        `/batches?readyForInjection=true&donorId=${ready.donorId}`,
      ).expect(200);
      expect(ids(listed)).toEqual([ready.id]);
      const notReady = await get(
        cast.doctor,
        `/batches?readyForInjection=false&donorId=${ready.donorId}`,
      ).expect(200);
      expect(ids(notReady)).toEqual([]);
    });

    it('turns false with a failing QC result after release, and true again once QA corrects it', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      await aDose(t.http, cast, batch.id);
      const failed = await aQcResult(t.http, batch.id, cast.technician.token, {
        test: 'ENDOTOXIN',
        value: 2,
        unit: 'EU/mL',
        testedAt: minutesAgo(1),
      });
      expect(failed.outcome).toBe('FAIL');
      expect((await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body.readyForInjection).toBe(false);
      expect(
        ids(await get(cast.doctor, `/batches?readyForInjection=true&donorId=${batch.donorId}`).expect(200)),
      ).toEqual([]);

      await aQcResult(t.http, batch.id, cast.qa.token, {
        test: 'ENDOTOXIN',
        value: 0.1,
        unit: 'EU/mL',
        testedAt: minutesAgo(1),
        correctsId: failed.id,
        reason: 'OOS investigation: sample contaminated during handling; retest passes',
      });
      expect((await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body.readyForInjection).toBe(true);
    });

    it('is false once the batch has expired, computed without any job', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      await aDose(t.http, cast, batch.id);
      await t.sql.query(`UPDATE batches SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
        batch.id,
      ]);
      expect((await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body.readyForInjection).toBe(false);
      expect(
        ids(await get(cast.doctor, `/batches?readyForInjection=true&donorId=${batch.donorId}`).expect(200)),
      ).toEqual([]);
    });

    it('is false without a formulated or dispatched dose', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      await aReceivedDose(t.http, cast, batch.id);
      expect((await get(cast.doctor, `/batches/${batch.id}`).expect(200)).body.readyForInjection).toBe(false);
    });
  });

  describe('by DIN', () => {
    let batch: BatchRef;
    beforeAll(async () => {
      batch = await aBatch(t.http, cast);
    });

    it('finds the batch by its 13-character DIN, or the DIN and its right check character, in any case', async () => {
      const check = dinCheckCharacter(batch.din);
      for (const input of [batch.din, `${batch.din}${check}`, `${batch.din}${check}`.toLowerCase()]) {
        expect(
          (await get(cast.technician, `/batches/by-din/${encodeURIComponent(input)}`).expect(200)).body.id,
        ).toBe(batch.id);
      }
    });

    it('answers 404 for a wrong check character, a malformed DIN or an unknown one', async () => {
      const check = dinCheckCharacter(batch.din);
      const wrong = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*'.split('').find((c) => c !== check) as string;
      for (const input of [
        `${batch.din}${wrong}`,
        batch.din.slice(0, 12),
        `${batch.din}${check}X`,
        'X999999999999',
        'hello',
      ]) {
        expect(
          (await get(cast.technician, `/batches/by-din/${encodeURIComponent(input)}`).expect(404)).body.code,
        ).toBe('NOT_FOUND');
      }
    });

    it('answers 404 to a doctor of another clinic, as if the DIN did not exist', async () => {
      await get(otherCast.doctor, `/batches/by-din/${batch.din}`).expect(404);
      await get(cast.doctor, `/batches/by-din/${batch.din}`).expect(200);
    });
  });

  describe('clinic scope', () => {
    it("hides a batch from another clinic's doctor on every read (404), not from its own", async () => {
      const batch = await aBatchInCulture(t.http, cast);
      for (const path of ['', '/growth', '/growth.svg', '/lineage']) {
        const hidden = await get(otherCast.doctor, `/batches/${batch.id}${path}`).expect(404);
        expect(hidden.body.code).toBe('NOT_FOUND');
        await get(cast.doctor, `/batches/${batch.id}${path}`).expect(200);
      }
    });

    it.each(['qa', 'technician', 'admin'] as const)('shows every clinic to %s', async (role) => {
      const batch = await aBatch(t.http, otherCast);
      const who = role === 'admin' ? { token: cast.admin } : cast[role];
      await get(who, `/batches/${batch.id}`).expect(200);
    });
  });

  describe('the list', () => {
    let listCast: Cast;
    let received: BatchRef;
    let inCulture: BatchRef;
    let elsewhere: BatchRef;

    beforeAll(async () => {
      listCast = await aCast(t.http);
      received = await aBatch(t.http, listCast);
      inCulture = await aBatchInCulture(t.http, listCast);
      elsewhere = await aBatch(t.http, otherCast);
    });

    it("lists a doctor's clinic only, newest first, even when they ask for another clinic", async () => {
      expect(ids(await get(listCast.doctor, '/batches').expect(200))).toEqual([inCulture.id, received.id]);
      expect(ids(await get(listCast.doctor, `/batches?clinicId=${otherCast.clinic.id}`).expect(200))).toEqual(
        [],
      );
    });

    it('filters by status, donor and clinic', async () => {
      const byClinic = `/batches?clinicId=${listCast.clinic.id}`;
      expect(ids(await get(listCast.qa, `${byClinic}&status=IN_CULTURE`).expect(200))).toEqual([
        inCulture.id,
      ]);
      expect(ids(await get(listCast.qa, `${byClinic}&status=RECEIVED`).expect(200))).toEqual([received.id]);
      expect(ids(await get(listCast.qa, `/batches?donorId=${received.donorId}`).expect(200))).toEqual([
        received.id,
      ]);
      expect(
        ids(
          await get(
            listCast.qa,
            `/batches?clinicId=${otherCast.clinic.id}&donorId=${elsewhere.donorId}`,
          ).expect(200),
        ),
      ).toEqual([elsewhere.id]);
    });

    it('pages with a keyset cursor', async () => {
      const first = await get(listCast.doctor, '/batches?limit=1').expect(200);
      expect(ids(first)).toEqual([inCulture.id]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await get(listCast.doctor, `/batches?limit=1&cursor=${first.body.nextCursor}`).expect(
        200,
      );
      expect(ids(second)).toEqual([received.id]);
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['limit', 'limit=0'],
      ['limit', 'limit=201'],
      ['status', 'status=ALIVE'],
      ['donorId', 'donorId=42'],
      ['readyForInjection', 'readyForInjection=yes'],
      ['cursor', 'cursor=bm9wZQ'],
      ['colour', 'colour=red'],
    ])('refuses a bad query naming %s (400)', async (field, query) => {
      const response = await get(listCast.qa, `/batches?${query}`).expect(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });
  });

  describe('growth', () => {
    it('lists the current points with cumulative doublings, counts included', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      await aStep(t.http, cast.technician, batch.id, 'cell-counts', {
        countedAt: minutesAgo(FIXTURE_TIMES.p1 - 5),
        totalCells: 800_000,
        viabilityPct: 97,
      });
      const growth = (await get(cast.doctor, `/batches/${batch.id}/growth`).expect(200)).body;
      expect(growth.points.map((p: { kind: string }) => p.kind)).toEqual(['ISOLATION', 'PASSAGE', 'COUNT']);
      expect(growth.points[1]).toMatchObject({
        passageNumber: 1,
        totalCells: 1_600_000,
        cumulativePopulationDoublings: 4,
      });
      expect(growth.points[2]).toMatchObject({
        totalCells: 800_000,
        viabilityPct: 97,
        cumulativePopulationDoublings: 5,
      });
      expect(growth.points[0]).not.toHaveProperty('passageNumber');
      expect(growth.projectedReadyAt).toEqual(expect.any(String));
    });

    it('draws the curve as SVG with the target line', async () => {
      const batch = await aBatchInCulture(t.http, cast);
      const response = await get(cast.doctor, `/batches/${batch.id}/growth.svg`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = response.body as string;
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`Growth of batch ${batch.din}`);
      expect(svg).toContain('Target');
      expect(svg).toContain('class="projection"');
      expect(svg.trim().endsWith('</svg>')).toBe(true);
    });
  });

  describe('lineage', () => {
    it('gathers donor, harvest, steps, lots, QC, decision and doses with their administration in one answer', async () => {
      const lot = await aMaterialLot(t.http, cast.qa.token);
      const batch = await aBatch(t.http, cast);
      await aStep(t.http, cast.technician, batch.id, 'isolation', {
        performedAt: minutesAgo(FIXTURE_TIMES.isolation),
        cellCount: 100_000,
        viabilityPct: 95,
        materialLotIds: [lot.id],
      });
      await aStep(t.http, cast.technician, batch.id, 'passages', {
        passageNumber: 1,
        performedAt: minutesAgo(FIXTURE_TIMES.p1),
        cellsHarvested: 1_600_000,
        viabilityPct: 95,
        cellsSeeded: 400_000,
      });
      const released = await aReleasedBatch(t.http, cast);
      const dose = await aReceivedDose(t.http, cast, released.id);
      await t.http
        .post(`/api/v1/doses/${dose.id}/administration`)
        .set(...bearer(cast.doctor))
        .send({
          administeredAt: new Date().toISOString(),
          site: 'LEFT_KNEE',
          patientCode: released.donorCode,
          doseLabel: dose.label,
        })
        .expect(200);

      const inCulture = (await get(cast.doctor, `/batches/${batch.id}/lineage`).expect(200)).body;
      expect(inCulture.donor).toMatchObject({
        id: batch.donorId,
        code: batch.donorCode,
        clinicId: cast.clinic.id,
        screeningStatus: 'NEGATIVE',
      });
      expect(inCulture.harvest).toMatchObject({ status: 'RECEIVED', tissue: 'ADIPOSE' });
      expect(inCulture.events.map((e: { type: string }) => e.type)).toEqual(['ISOLATION', 'PASSAGE']);
      expect(inCulture.materialLots).toEqual([
        expect.objectContaining({ lotId: lot.id, lotNumber: lot.lotNumber, eventType: 'ISOLATION' }),
      ]);
      expect(inCulture.vials).toEqual([]);

      const done = (await get(cast.doctor, `/batches/${released.id}/lineage`).expect(200)).body;
      expect(done.batch).toMatchObject({ id: released.id, status: 'RELEASED' });
      expect(done.events.map((e: { type: string }) => e.type)).toEqual([
        'ISOLATION',
        'PASSAGE',
        'PASSAGE',
        'FINAL_HARVEST',
      ]);
      expect(done.qcResults).toHaveLength(7);
      expect(done.decision).toMatchObject({ decision: 'RELEASE', signerId: cast.qa.id });
      expect(done.doses).toEqual([
        expect.objectContaining({
          id: dose.id,
          label: dose.label,
          status: 'ADMINISTERED',
          administration: expect.objectContaining({
            site: 'LEFT_KNEE',
            patientCode: released.donorCode,
            administeredBy: cast.doctor.id,
          }),
        }),
      ]);
    });
  });

  it('documents every batch route with its roles and error responses in the OpenAPI document', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    const expected: [string, string, string[]][] = [
      ['/api/v1/batches', 'post', ['201', '400', '401', '403', '404', '409', '422']],
      ['/api/v1/batches', 'get', ['200', '400', '401', '403']],
      ['/api/v1/batches/by-din/{din}', 'get', ['200', '404']],
      ['/api/v1/batches/{id}', 'get', ['200', '400', '404']],
      ['/api/v1/batches/{id}/isolation', 'post', ['201', '400', '403', '404', '409', '422']],
      ['/api/v1/batches/{id}/passages', 'post', ['201', '400', '403', '404', '409', '422']],
      ['/api/v1/batches/{id}/cell-counts', 'post', ['201', '400', '403', '404', '409']],
      ['/api/v1/batches/{id}/final-harvest', 'post', ['201', '400', '403', '404', '409', '422']],
      ['/api/v1/batches/{id}/growth', 'get', ['200', '400', '404']],
      ['/api/v1/batches/{id}/growth.svg', 'get', ['200', '400', '404']],
      ['/api/v1/batches/{id}/lineage', 'get', ['200', '400', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = body.paths[path]?.[method];
      expect({ path, method, documented: Boolean(operation) }).toEqual({ path, method, documented: true });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    }
    expect(body.components.schemas.BatchViewDto.required).toEqual(expect.arrayContaining(BATCH_VIEW_FIELDS));
  });
});
