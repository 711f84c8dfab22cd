import { Queue } from 'bullmq';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aJobsApp, eventually, flagRowsOf, JobsTestApp, runSweep } from '../support/flag-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { PrivateRedis } from '../support/redis-server';
import {
  aCultureCompleteBatchHarvestedAt,
  aDose,
  passingQc,
  ReleasedBatch,
  release,
} from '../support/release-fixtures';

const HOUR = 3_600_000;

/**
 * PostgreSQL holds the truth, Redis only the queues: whatever Redis does (stops, comes back empty, loses its
 * jobs), every write is accepted and every flag ends up raised exactly once. Runs against a private
 * redis-server that the tests stop, restart and flush.
 */
describe('jobs when Redis goes away', () => {
  let redis: PrivateRedis;
  let t: JobsTestApp;
  let cast: Cast;

  /** A released batch whose shelf life ends in 5 hours: every dose formulated from it is DOSE_EXPIRING. */
  async function aBatchAboutToExpire(): Promise<ReleasedBatch> {
    const batch = await aCultureCompleteBatchHarvestedAt(t.http, cast, new Date(Date.now() - 43 * HOUR));
    await passingQc(t.http, batch.id, cast.technician.token);
    const released = await release(t.http, batch.id, cast.qa);
    expect(released.status).toBe(200);
    return {
      ...batch,
      expiresAt: released.body.expiresAt as string,
      viableCellsYielded: released.body.viableCellsYielded as number,
    };
  }

  async function formulate(batchId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 20) {
      const doses = await Promise.all(
        Array.from({ length: Math.min(20, count - start) }, () =>
          aDose(t.http, cast, batchId, { cells: 500_000, volumeMl: 1 }),
        ),
      );
      ids.push(...doses.map((dose) => dose.id));
    }
    return ids;
  }

  const backlog = async (): Promise<number> =>
    Number((await t.sql.query('SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL')).rows[0].n);

  async function openFlagsPerSubject(type: string, subjectIds: string[]): Promise<Map<string, number>> {
    const rows = await t.sql.query(
      `SELECT subject_id, count(*)::int AS n FROM flags WHERE type = $1 AND subject_id = ANY($2::uuid[]) GROUP BY subject_id`,
      [type, subjectIds],
    );
    return new Map(rows.rows.map((row: { subject_id: string; n: number }) => [row.subject_id, row.n]));
  }

  const queueOnPrivateRedis = (name: string): Queue =>
    new Queue(name, {
      connection: { url: redis.url, maxRetriesPerRequest: 1 },
      prefix: t.db.settings.queuePrefix,
    });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await aJobsApp({ redisUrl: redis.url });
    cast = await aCast(t.http);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
    await redis.stop();
  });

  it('accepts every write while Redis is down, answers job control 503 at once, and raises each flag exactly once when Redis is back', async () => {
    const batch = await aBatchAboutToExpire();
    await redis.stop();

    const health = await t.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', db: 'up', redis: 'down' });

    const began = Date.now();
    const doseIds = await formulate(batch.id, 200);
    expect(doseIds).toHaveLength(200);
    // Nothing on the write path waited on Redis.
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(await backlog()).toBeGreaterThanOrEqual(200);

    const asked = Date.now();
    const run = await t.http.post('/api/v1/jobs/expiry/run').set(...bearer(cast.admin));
    expect(run.status).toBe(503);
    expect(run.body.code).toBe('UNAVAILABLE');
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(await flagRowsOf(t, doseIds[0])).toEqual([]);

    // Redis comes back empty (no persistence): the backlog drains and every flag is raised.
    await redis.start();
    await eventually(async () => (await backlog()) === 0, 20_000, 'outbox drained');
    const perDose = await eventually(
      async () => {
        const flags = await openFlagsPerSubject('DOSE_EXPIRING', doseIds);
        return flags.size === 200 ? flags : null;
      },
      20_000,
      '200 DOSE_EXPIRING flags',
    );
    expect([...perDose.values()].every((n) => n === 1)).toBe(true);
    const raised = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'flag.raised' AND after ->> 'type' = 'DOSE_EXPIRING'
          AND after ->> 'doseId' = ANY($1::text[])`,
      [doseIds],
    );
    expect(raised.rows[0].n).toBe(200);
    expect(await flagRowsOf(t, batch.id, 'READY_FOR_INJECTION')).toEqual([
      expect.objectContaining({ status: 'OPEN' }),
    ]);

    // The sweeps' schedulers lived only in Redis; the workers re-created them when it came back.
    const readiness = queueOnPrivateRedis('readiness');
    try {
      await eventually(
        async () => Boolean(await readiness.getJobScheduler('readiness-sweep')),
        5000,
        'readiness scheduler',
      );
    } finally {
      await readiness.close();
    }
  }, 120_000);

  it('rebuilds every flag with the sweeps after Redis lost the queued jobs (FLUSHALL)', async () => {
    const readiness = queueOnPrivateRedis('readiness');
    const expiry = queueOnPrivateRedis('expiry');
    try {
      // Workers take nothing while the queues are paused: the events' jobs wait in Redis.
      await Promise.all([readiness.pause(), expiry.pause()]);
      const expiring = await aBatchAboutToExpire();
      const doseIds = await formulate(expiring.id, 10);
      const complete = await aCultureCompleteBatch(t.http, cast);
      await passingQc(t.http, complete.id, cast.technician.token);
      await eventually(async () => (await backlog()) === 0, 10_000, 'outbox relayed');
      expect((await expiry.getJobCounts('waiting')).waiting).toBeGreaterThanOrEqual(10);

      await redis.flushAll();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await flagRowsOf(t, complete.id)).toEqual([]);
      expect((await openFlagsPerSubject('DOSE_EXPIRING', doseIds)).size).toBe(0);

      await runSweep(t.http, cast.admin, 'readiness');
      await runSweep(t.http, cast.admin, 'expiry');
      expect(await flagRowsOf(t, complete.id)).toEqual([
        expect.objectContaining({ type: 'READY_FOR_RELEASE', status: 'OPEN' }),
      ]);
      expect(await flagRowsOf(t, expiring.id, 'READY_FOR_INJECTION')).toEqual([
        expect.objectContaining({ status: 'OPEN' }),
      ]);
      const perDose = await openFlagsPerSubject('DOSE_EXPIRING', doseIds);
      expect(perDose.size).toBe(10);
      expect([...perDose.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await Promise.all([readiness.close(), expiry.close()]);
    }
  }, 60_000);

  it('sends an event again after a relay lost its commit, without running its job twice (deterministic job id)', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician.token);
    await eventually(async () => (await flagRowsOf(t, batch.id)).length === 1, 5000, 'READY_FOR_RELEASE');
    const event = await t.sql.query(
      `SELECT id FROM outbox_events WHERE subject_id = $1 AND type = 'batch.culture_complete'`,
      [batch.id],
    );
    const jobId = `outbox-${event.rows[0].id}`;
    const readiness = queueOnPrivateRedis('readiness');
    try {
      const before = await eventually(async () => {
        const job = await readiness.getJob(jobId);
        return job?.finishedOn ? job : null;
      });
      // As if the relay had died after Redis took the jobs but before its transaction committed.
      await t.sql.query('UPDATE outbox_events SET sent_at = NULL WHERE id = $1', [event.rows[0].id]);
      await eventually(async () => (await backlog()) === 0, 5000, 'event sent again');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await readiness.getJob(jobId);
      expect(after?.finishedOn).toBe(before.finishedOn);
      expect(after?.attemptsMade).toBe(before.attemptsMade);
    } finally {
      await readiness.close();
    }
  });
});
