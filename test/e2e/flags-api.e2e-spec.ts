import { aCultureCompleteBatch } from '../support/batch-fixtures';
import {
  aJobsApp,
  eventJobsDone,
  flagRowsOf,
  flagWithin,
  FlagView,
  JobsTestApp,
  listFlags,
  runSweep,
} from '../support/flag-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { aDose, aQcResult, aReleasedBatch, passingQc } from '../support/release-fixtures';

/** GET /flags and POST /flags/:id/acknowledge: who sees what, and what acknowledging does. */
describe('flags API', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let otherDoctor: Person;
  /** A READY_FOR_RELEASE flag of cast's clinic, and one of another clinic. */
  let ours: FlagView;
  let theirs: FlagView;

  async function readyForReleaseFlag(of: Cast): Promise<FlagView> {
    const batch = await aCultureCompleteBatch(t.http, of);
    await passingQc(t.http, batch.id, of.technician.token);
    return flagWithin(t.http, of.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
  }

  const acknowledge = (id: string, who: Person | string) =>
    t.http.post(`/api/v1/flags/${id}/acknowledge`).set(...bearer(who));

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    const otherCast = await aCast(t.http);
    otherDoctor = await aPerson(t.http, 'doctor', await aClinic(t.http));
    [ours, theirs] = await Promise.all([readyForReleaseFlag(cast), readyForReleaseFlag(otherCast)]);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
  });

  describe('GET /flags', () => {
    it("lists every clinic's flags to CPC staff, newest first, filtered by type, status and batch", async () => {
      const all = await listFlags(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE' });
      const ids = all.items.map((flag) => flag.id);
      expect(ids).toEqual(expect.arrayContaining([ours.id, theirs.id]));
      const raisedAt = all.items.map((flag) => flag.raisedAt);
      expect([...raisedAt].sort().reverse()).toEqual(raisedAt);

      const ofBatch = await listFlags(t.http, cast.technician.token, { batchId: ours.batchId as string });
      expect(ofBatch.items.map((flag) => flag.id)).toEqual([ours.id]);
      expect(ofBatch.items[0]).toEqual({
        id: ours.id,
        type: 'READY_FOR_RELEASE',
        status: 'OPEN',
        batchId: ours.batchId,
        doseId: null,
        reviewId: null,
        clinicId: cast.clinic.id,
        subjectType: 'batch',
        subjectId: ours.batchId,
        raisedAt: expect.stringMatching(/Z$/),
        acknowledgedAt: null,
        acknowledgedBy: null,
        resolvedAt: null,
        resolution: null,
        details: expect.any(Object),
      });
      const resolved = await listFlags(t.http, cast.qa.token, {
        status: 'RESOLVED',
        batchId: ours.batchId as string,
      });
      expect(resolved.items).toEqual([]);
    });

    it('pages with limit and cursor', async () => {
      const first = await listFlags(t.http, cast.admin, { limit: 1 });
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await listFlags(t.http, cast.admin, { limit: 1, cursor: first.nextCursor as string });
      expect(second.items).toHaveLength(1);
      expect(second.items[0].id).not.toBe(first.items[0].id);
    });

    it('shows a doctor only the flags of their own clinic', async () => {
      const mine = await listFlags(t.http, cast.doctor.token, { type: 'READY_FOR_RELEASE' });
      expect(mine.items.map((flag) => flag.id)).toContain(ours.id);
      expect(mine.items.every((flag) => flag.clinicId === cast.clinic.id)).toBe(true);
      const notMine = await listFlags(t.http, otherDoctor.token, { batchId: ours.batchId as string });
      expect(notMine.items).toEqual([]);
    });

    it.each([
      [{ type: 'READY' }, 'type'],
      [{ status: 'CLOSED' }, 'status'],
      [{ batchId: 'not-a-uuid' }, 'batchId'],
      [{ limit: 0 }, 'limit'],
      [{ cursor: 'garbage' }, 'cursor'],
    ])('refuses the query %j (400 VALIDATION_FAILED naming %s)', async (query, field) => {
      const response = await t.http
        .get('/api/v1/flags')
        .query(query)
        .set(...bearer(cast.qa));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('needs a token (401)', async () => {
      const response = await t.http.get('/api/v1/flags');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('POST /flags/:id/acknowledge', () => {
    it('marks an open flag ACKNOWLEDGED (still open), audited; a second acknowledgement changes nothing', async () => {
      const first = await acknowledge(ours.id, cast.doctor);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        id: ours.id,
        status: 'ACKNOWLEDGED',
        acknowledgedBy: cast.doctor.id,
        resolvedAt: null,
      });
      const second = await acknowledge(ours.id, cast.qa);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const audit = await t.sql.query(
        `SELECT action, actor_id FROM audit_entries WHERE entity_id = $1 AND action = 'flag.acknowledged'`,
        [ours.id],
      );
      expect(audit.rows).toEqual([{ action: 'flag.acknowledged', actor_id: cast.doctor.id }]);
      // Acknowledged is still open: the sweep neither resolves nor doubles it.
      await runSweep(t.http, cast.admin, 'readiness');
      expect(await flagRowsOf(t, ours.batchId as string, 'READY_FOR_RELEASE')).toEqual([
        expect.objectContaining({ id: ours.id, status: 'ACKNOWLEDGED' }),
      ]);
    });

    it('acknowledges once when two people acknowledge at the same moment', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      await passingQc(t.http, batch.id, cast.technician.token);
      const flag = await flagWithin(t.http, cast.qa.token, {
        type: 'READY_FOR_RELEASE',
        subjectId: batch.id,
      });
      const answers = await Promise.all([
        acknowledge(flag.id, cast.qa),
        acknowledge(flag.id, cast.technician),
        acknowledge(flag.id, cast.doctor),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const audit = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'flag.acknowledged'`,
        [flag.id],
      );
      expect(audit.rows[0].n).toBe(1);
    });

    it("answers 404 to a doctor acknowledging another clinic's flag, and leaves it as it was", async () => {
      const response = await acknowledge(theirs.id, otherDoctor);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
      const row = await t.sql.query('SELECT status, acknowledged_at FROM flags WHERE id = $1', [theirs.id]);
      expect(row.rows[0]).toEqual({ status: 'OPEN', acknowledged_at: null });
    });

    it('answers 404 for an unknown flag and 400 for an id that is not a UUID', async () => {
      const unknown = await acknowledge('8f14e45f-ceea-467a-9b7e-2f7c5a0d9b11', cast.qa);
      expect(unknown.status).toBe(404);
      const malformed = await acknowledge('not-a-uuid', cast.qa);
      expect(malformed.status).toBe(400);
      expect(malformed.body.details.fields).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('needs a token (401)', async () => {
      expect((await t.http.post(`/api/v1/flags/${ours.id}/acknowledge`)).status).toBe(401);
    });

    it('keeps an acknowledgement note as the reason in the audit trail', async () => {
      const batch = await aCultureCompleteBatch(t.http, cast);
      await passingQc(t.http, batch.id, cast.technician.token);
      const flag = await flagWithin(t.http, cast.qa.token, {
        type: 'READY_FOR_RELEASE',
        subjectId: batch.id,
      });
      const response = await t.http
        .post(`/api/v1/flags/${flag.id}/acknowledge`)
        .set(...bearer(cast.qa))
        .send({ note: 'Release review booked for 14:00' });
      expect(response.status).toBe(200);
      const audit = await t.sql.query(
        `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'flag.acknowledged'`,
        [flag.id],
      );
      expect(audit.rows).toEqual([{ reason: 'Release review booked for 14:00' }]);
    });

    it('refuses unknown body properties (400) and changes nothing', async () => {
      const response = await t.http
        .post(`/api/v1/flags/${theirs.id}/acknowledge`)
        .set(...bearer(cast.qa))
        .send({ status: 'RESOLVED' });
      expect(response.status).toBe(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'status' })]);
      const row = await t.sql.query('SELECT status FROM flags WHERE id = $1', [theirs.id]);
      expect(row.rows[0].status).toBe('OPEN');
    });

    it('resolves a POST_RELEASE_QC_FAILURE only when a qa user acknowledges it, and never raises it again for that result', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      await aDose(t.http, cast, batch.id);
      const failing = await aQcResult(t.http, batch.id, cast.technician.token, {
        test: 'MYCOPLASMA',
        result: 'POSITIVE',
        testedAt: new Date().toISOString(),
      });
      const flag = await flagWithin(t.http, cast.qa.token, {
        type: 'POST_RELEASE_QC_FAILURE',
        subjectId: failing.id,
      });

      const byTechnician = await acknowledge(flag.id, cast.technician);
      expect(byTechnician.body).toMatchObject({ status: 'ACKNOWLEDGED', resolvedAt: null });
      const byDoctor = await acknowledge(flag.id, cast.doctor);
      expect(byDoctor.body.status).toBe('ACKNOWLEDGED');

      const byQa = await acknowledge(flag.id, cast.qa);
      expect(byQa.status).toBe(200);
      expect(byQa.body).toMatchObject({
        status: 'RESOLVED',
        resolution: 'ACKNOWLEDGED_BY_QA',
        resolvedAt: expect.any(String),
      });
      const resolvedBy = await t.sql.query('SELECT resolved_by FROM flags WHERE id = $1', [flag.id]);
      expect(resolvedBy.rows[0].resolved_by).toBe(cast.qa.id);

      // The failing result is still there, so its condition never ended: neither a sweep nor a later event
      // on the batch (which re-derives all its flags) raises the notice again.
      await runSweep(t.http, cast.admin, 'readiness');
      const later = await aQcResult(t.http, batch.id, cast.technician.token, {
        test: 'VIABILITY',
        value: 91,
        testedAt: new Date().toISOString(),
      });
      await eventJobsDone(t, cast.admin, 'readiness', later.id);
      expect(await flagRowsOf(t, failing.id)).toEqual([
        expect.objectContaining({ id: flag.id, status: 'RESOLVED' }),
      ]);
      const again = await acknowledge(flag.id, cast.qa);
      expect(again.body).toEqual(byQa.body);
    });
  });
});
