import {
  aBatch,
  aBatchInCulture,
  aCultureCompleteBatch,
  aStep,
  BatchRef,
  minutesAgo,
} from '../support/batch-fixtures';
import { flagRowsOf, FlagView, listFlags } from '../support/flag-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const fromNow = (ms: number): string => new Date(Date.now() + ms).toISOString();

/**
 * The culture of aBatchInCulture: 1e5 cells plated 50 minutes ago, 4 doublings by P1 40 minutes ago, so its
 * projection reaches 1e8 cells (~9.97 doublings) about 25 minutes ago. A visit 12 h (RELEASE_LEAD_HOURS) after
 * a window end 30 minutes ago is therefore just too early; one 12 h after now is on track.
 */
// Fixtures hash passwords and build whole cultures through the API: slow on a busy machine, so hooks get time.
jest.setTimeout(120_000);

describe('outcomes: the injection plan a culture must meet', () => {
  let t: TestApp;
  let cast: Cast;
  let strangerDoctor: Person;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    strangerDoctor = await aPerson(t.http, 'doctor');
  });
  afterAll(async () => {
    await t.close();
  });

  const plan = (batchId: string, body: Record<string, unknown>, who: Person = cast.doctor) =>
    t.http
      .put(`/api/v1/batches/${batchId}/injection-plan`)
      .set(...bearer(who))
      .send(body);
  const aPlan = (plannedAt: string, overrides: Record<string, unknown> = {}) => ({
    plannedAt,
    knees: ['LEFT'],
    cellsPerKnee: 100_000_000,
    ...overrides,
  });
  const visitFlags = async (batchId: string): Promise<FlagView[]> =>
    (await listFlags(t.http, cast.doctor.token, { type: 'VISIT_AT_RISK', batchId })).items;
  const batchView = async (batchId: string) =>
    (await t.http.get(`/api/v1/batches/${batchId}`).set(...bearer(cast.doctor))).body as {
      injectionPlan: Record<string, unknown> | null;
    };
  const planRows = async (batchId: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM injection_plans WHERE batch_id = $1', [batchId]))
      .rows[0].n as number;

  describe('a plan going off track and back', () => {
    let batch: BatchRef;

    beforeAll(async () => {
      batch = await aBatchInCulture(t.http, cast);
    });

    it('answers the required cells, the window and that the visit is not on track, and raises VISIT_AT_RISK with it', async () => {
      const plannedAt = fromNow(12 * HOUR - 30 * MINUTE);
      const response = await plan(batch.id, aPlan(plannedAt, { knees: ['LEFT'] }));
      expect(response.status).toBe(200);
      const body = response.body as Record<string, unknown> & {
        finalHarvestWindow: { from: string; to: string };
      };
      expect(body).toMatchObject({
        knees: ['LEFT'],
        cellsPerKnee: 1e8,
        requiredCells: 1e8,
        onTrack: false,
        version: 1,
      });
      expect(Date.parse(body.finalHarvestWindow.from)).toBe(Date.parse(plannedAt) - 48 * HOUR);
      expect(Date.parse(body.finalHarvestWindow.to)).toBe(Date.parse(plannedAt) - 12 * HOUR);
      expect(body.slackHours).toBeLessThan(0);

      const [flag] = await visitFlags(batch.id);
      expect(flag).toMatchObject({
        type: 'VISIT_AT_RISK',
        status: 'OPEN',
        batchId: batch.id,
        subjectId: batch.id,
      });
      expect(flag.details.slackHours).toBe(body.slackHours);
      expect((await batchView(batch.id)).injectionPlan).toMatchObject({ onTrack: false, version: 1 });
    });

    it('is back on track after a count that shows faster growth, and the flag is resolved with that count', async () => {
      await aStep(t.http, cast.technician, batch.id, 'cell-counts', {
        countedAt: minutesAgo(35),
        totalCells: 25_600_000, // 4e5 reseeded at P1 doubled 6 times: cumulative PD 10
        viabilityPct: 95,
      });
      const view = (await batchView(batch.id)).injectionPlan as { onTrack: boolean; slackHours: number };
      expect(view.onTrack).toBe(true);
      expect(view.slackHours).toBeGreaterThanOrEqual(0);
      const flags = await visitFlags(batch.id);
      expect(flags.map((f) => f.status)).toEqual(['RESOLVED']);
    });

    it('re-raises it when a replan for both knees needs more cells than the culture will have by then', async () => {
      const response = await plan(
        batch.id,
        aPlan(fromNow(12 * HOUR - 40 * MINUTE), { knees: ['LEFT', 'RIGHT'] }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ requiredCells: 2e8, onTrack: false, version: 2 });
      expect((await visitFlags(batch.id)).filter((f) => f.status === 'OPEN')).toHaveLength(1);
    });

    it('resolves the old plan on a replan, and raises none for a new plan that is on track', async () => {
      const response = await plan(batch.id, aPlan(fromNow(3 * 24 * HOUR), { knees: ['LEFT', 'RIGHT'] }));
      expect(response.body).toMatchObject({ onTrack: true, version: 3 });
      expect((await flagRowsOf(t, batch.id, 'VISIT_AT_RISK')).map((f) => f.status)).toEqual([
        'RESOLVED',
        'RESOLVED',
      ]);
    });

    it('keeps every version of the plan and audits each', async () => {
      expect(await planRows(batch.id)).toBe(3);
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE canonical::jsonb->>'entityId' = $1
           AND canonical::jsonb->>'action' IN ('batch.injection_planned', 'batch.injection_replanned')`,
        [batch.id],
      );
      expect(rows[0].n).toBe(3);
    });
  });

  it('has no judgement while the culture has no projection (a batch not yet isolated)', async () => {
    const batch = await aBatch(t.http, cast);
    const response = await plan(batch.id, aPlan(fromNow(20 * 24 * HOUR)));
    expect(response.body).toMatchObject({ onTrack: null, slackHours: null });
    expect(await visitFlags(batch.id)).toEqual([]);
  });

  describe('after the final harvest (2e8 cells at 90 %, 20 minutes ago)', () => {
    it('is on track when the harvest fell in the window and yielded the cells', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const response = await plan(batch.id, aPlan(fromNow(12 * HOUR - 10 * MINUTE)));
      expect(response.body).toMatchObject({ onTrack: true });
    });

    it('is at risk when the harvest was too early for the visit (the fresh dose expires first)', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const response = await plan(batch.id, aPlan(fromNow(48 * HOUR)));
      expect(response.body).toMatchObject({ onTrack: false });
      expect((await visitFlags(batch.id)).map((f) => f.status)).toEqual(['OPEN']);
    });

    it('is at risk when the harvest yielded fewer viable cells than both knees need', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      const response = await plan(batch.id, aPlan(fromNow(12 * HOUR), { knees: ['LEFT', 'RIGHT'] }));
      expect(response.body).toMatchObject({ requiredCells: 2e8, onTrack: false });
    });

    it('resolves the flag when the batch is decided', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      await plan(batch.id, aPlan(fromNow(48 * HOUR)));
      expect((await visitFlags(batch.id)).map((f) => f.status)).toEqual(['OPEN']);
      const discarded = await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'Visit cancelled' });
      expect(discarded.status).toBe(200);
      expect((await visitFlags(batch.id)).map((f) => f.status)).toEqual(['RESOLVED']);
    });
  });

  it('refuses a plan on a decided batch (409 INVALID_TRANSITION) and writes nothing', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const response = await plan(batch.id, aPlan(fromNow(24 * HOUR)));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');
    expect(await planRows(batch.id)).toBe(0);
  });

  describe('bad input (400 VALIDATION_FAILED, nothing written)', () => {
    let batch: BatchRef;
    beforeAll(async () => {
      batch = await aBatch(t.http, cast);
    });

    it.each([
      ['no knee', { knees: [] }],
      ['the same knee twice', { knees: ['LEFT', 'LEFT'] }],
      ['three knees', { knees: ['LEFT', 'RIGHT', 'LEFT'] }],
      ['an unknown knee', { knees: ['ELBOW'] }],
      ['too few cells per knee', { cellsPerKnee: 999_999 }],
      ['too many cells per knee', { cellsPerKnee: 1e10 + 1 }],
      ['fractional cells', { cellsPerKnee: 1.5e8 + 0.5 }],
      ['a visit without a zone', { plannedAt: '2026-12-10T10:00:00' }],
      ['an unknown field', { requiredCells: 1e8 }],
    ])('refuses %s', async (_what, overrides) => {
      const response = await plan(batch.id, aPlan(fromNow(24 * HOUR), overrides));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(await planRows(batch.id)).toBe(0);
    });
  });

  describe('who may plan', () => {
    let batch: BatchRef;
    beforeAll(async () => {
      batch = await aBatch(t.http, cast);
    });

    it("hides another clinic's batch from a doctor (404) and writes nothing", async () => {
      const response = await plan(batch.id, aPlan(fromNow(24 * HOUR)), strangerDoctor);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
      expect(await planRows(batch.id)).toBe(0);
    });

    it('refuses a technician (403)', async () => {
      const response = await plan(batch.id, aPlan(fromNow(24 * HOUR)), cast.technician);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it("keeps the plan out of another clinic's sight (the batch view is 404 for them)", async () => {
      await plan(batch.id, aPlan(fromNow(24 * HOUR)));
      const view = await t.http.get(`/api/v1/batches/${batch.id}`).set(...bearer(strangerDoctor));
      expect(view.status).toBe(404);
      expect((await listFlags(t.http, strangerDoctor.token, { batchId: batch.id })).items).toEqual([]);
    });
  });

  it('takes two concurrent replans one after the other: two versions, one plan in force, at most one open flag', async () => {
    const batch = await aBatchInCulture(t.http, cast);
    const [a, b] = await Promise.all([
      plan(batch.id, aPlan(fromNow(12 * HOUR - 30 * MINUTE))),
      plan(batch.id, aPlan(fromNow(4 * 24 * HOUR))),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.version, b.body.version].sort()).toEqual([1, 2]);
    const last = a.body.version === 2 ? a.body : b.body;
    expect((await batchView(batch.id)).injectionPlan).toMatchObject({
      version: 2,
      plannedAt: last.plannedAt,
    });
    const open = (await flagRowsOf(t, batch.id, 'VISIT_AT_RISK')).filter((f) => f.status !== 'RESOLVED');
    expect(open).toHaveLength(last.onTrack === false ? 1 : 0);
  });

  it('draws the required cells and the final-harvest window on the growth chart', async () => {
    const batch = await aBatchInCulture(t.http, cast);
    await plan(batch.id, aPlan(fromNow(12 * HOUR - 30 * MINUTE)));
    const svg = await t.http.get(`/api/v1/batches/${batch.id}/growth.svg`).set(...bearer(cast.doctor));
    expect(svg.status).toBe(200);
    const text = svg.text || String(svg.body);
    expect(text).toContain('class="required-line"');
    expect(text).toContain('class="harvest-window"');
    expect(text).toContain('Visit at risk');
  });
});
