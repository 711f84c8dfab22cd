import { Queue } from 'bullmq';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppProcess, ensureBuilt } from '../support/app-process';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { eventually, flagWithin, sleep } from '../support/flag-fixtures';
import { aCast, Cast } from '../support/people';
import { PrivateRedis } from '../support/redis-server';
import { aQcResult, passingQc } from '../support/release-fixtures';
import { aPrivateDatabase, PrivateDatabase } from '../support/test-app';

const SWEEPS_COMPLETED = /^jobs_finished_total\{queue="readiness",name="sweep",outcome="completed"\} (\d+)$/m;
const RELAYED = /^outbox_events_relayed_total (\d+)$/m;

/**
 * The deployment as it scales out: one API process and two worker processes (compiled, `node
 * dist/src/main.js`) against one database and one Redis of their own. Sweeps tick every second.
 */
describe('scale-out: one API and two worker processes', () => {
  let db: PrivateDatabase;
  let redis: PrivateRedis;
  let api: AppProcess;
  let workers: AppProcess[];
  let http: TestAgent;
  let cast: Cast;
  let sql: Client;
  let readiness: Queue;
  let processEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureBuilt();
    [db, redis] = await Promise.all([aPrivateDatabase(), PrivateRedis.start()]);
    processEnv = { ...process.env, ...envOf(db, redis) };
    [api, ...workers] = await Promise.all([
      AppProcess.start('api', processEnv),
      AppProcess.start('worker', processEnv),
      AppProcess.start('worker', processEnv),
    ]);
    http = request(api.url);
    cast = await aCast(http);
    sql = new Client({ connectionString: db.settings.databaseUrl });
    await sql.connect();
    readiness = new Queue('readiness', { connection: { url: redis.url }, prefix: db.settings.queuePrefix });
  }, 180_000);

  afterAll(async () => {
    await readiness?.close();
    await sql?.end();
    await Promise.all([api, ...(workers ?? [])].filter(Boolean).map((process) => process.stop()));
    await redis?.stop();
    await db?.drop();
  }, 60_000);

  it('serves the API from the api process only, and only /health and /metrics from a worker', async () => {
    expect((await http.get('/api/v1/flags')).status).toBe(401);
    const fromWorker = await request(workers[0].url).get('/api/v1/flags');
    expect(fromWorker.status).toBe(404);
    expect((await request(workers[0].url).get('/metrics')).status).toBe(200);
  });

  it('raises each flag once, with events relayed once between the two relays, and no job run by the api process', async () => {
    const batch = await aCultureCompleteBatch(http, cast);
    await passingQc(http, batch.id, cast.technician.token);
    await flagWithin(http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    const flags = await sql.query(`SELECT id FROM flags WHERE subject_id = $1`, [batch.id]);
    expect(flags.rows).toHaveLength(1);
    const raised = await sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'flag.raised'`,
      [flags.rows[0].id],
    );
    expect(raised.rows[0].n).toBe(1);

    await eventually(
      async () =>
        Number(
          (await sql.query('SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL')).rows[0].n,
        ) === 0,
    );
    const events = Number((await sql.query('SELECT count(*) AS n FROM outbox_events')).rows[0].n);
    const relayed = (await workers[0].metric(RELAYED)) + (await workers[1].metric(RELAYED));
    expect(relayed).toBe(events);
    expect(await api.metric(RELAYED)).toBe(0);
    expect(await api.metric(SWEEPS_COMPLETED)).toBe(0);
  });

  it('runs each scheduled sweep tick once, however many workers there are', async () => {
    await sleep(5000);
    // Stop the ticks being taken, and let the running ones finish, so the counts below hold still.
    await readiness.pause();
    await eventually(
      async () => (await readiness.getJobCounts('active')).active === 0,
      10_000,
      'no active readiness job',
    );
    try {
      const completed = (await readiness.getJobs(['completed'], 0, -1)).filter((job) =>
        job.id?.startsWith('repeat:readiness-sweep:'),
      );
      const ticks = new Set(completed.map((job) => job.id));
      expect(ticks.size).toBeGreaterThanOrEqual(3);
      // One scheduler, one job a second: the ticks' times (in their ids) are a second apart, never doubled.
      const times = [...ticks].map((id) => Number(id?.split(':')[2])).sort((a, b) => a - b);
      times.slice(1).forEach((time, index) => expect(time - times[index]).toBeGreaterThanOrEqual(1000));
      const runs = (await workers[0].metric(SWEEPS_COMPLETED)) + (await workers[1].metric(SWEEPS_COMPLETED));
      expect(runs).toBe(ticks.size);
    } finally {
      await readiness.resume();
    }
  }, 30_000);

  it('runs a job again when its worker is killed mid-job (SIGKILL), and its effect happens once', async () => {
    const batch = await aCultureCompleteBatch(http, cast);
    await passingQc(http, batch.id, cast.technician.token, { except: ['IDENTITY_NEGATIVE'] });
    // Hold the batch's READY_FOR_RELEASE evaluation lock, so the job that evaluates it stops mid-job.
    const holder = new Client({ connectionString: db.settings.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `flag:READY_FOR_RELEASE:${batch.id}`,
      ]);
      const last = await aQcResult(http, batch.id, cast.technician.token, {
        test: 'IDENTITY_NEGATIVE',
        value: 0.5,
        testedAt: new Date().toISOString(),
      });
      const event = await sql.query('SELECT id FROM outbox_events WHERE subject_id = $1', [last.id]);
      const jobId = `outbox-${event.rows[0].id}`;
      const active = await eventually(
        async () => {
          const job = await readiness.getJob(jobId);
          return job && (await job.getState()) === 'active' && job.processedBy ? job : null;
        },
        10_000,
        `job ${jobId} active`,
      );
      const victim = workers.find((worker) => worker.workerName === active.processedBy) as AppProcess;
      const survivor = workers.find((worker) => worker !== victim) as AppProcess;
      expect(victim).toBeDefined();
      victim.kill('SIGKILL');
      await victim.exitCode();
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
        `flag:READY_FOR_RELEASE:${batch.id}`,
      ]);

      const rerun = await eventually(
        async () => {
          const job = await readiness.getJob(jobId);
          return job?.finishedOn ? job : null;
        },
        15_000,
        `job ${jobId} run again`,
      );
      expect(await rerun.getState()).toBe('completed');
      expect(rerun.processedBy).toBe(survivor.workerName);
      expect(rerun.attemptsStarted).toBeGreaterThanOrEqual(2);

      const flags = await sql.query(`SELECT id, status FROM flags WHERE subject_id = $1`, [batch.id]);
      expect(flags.rows).toEqual([{ id: expect.any(String), status: 'OPEN' }]);
      const raised = await sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'flag.raised'`,
        [flags.rows[0].id],
      );
      expect(raised.rows[0].n).toBe(1);
    } finally {
      await holder.end();
    }
    // The deployment carries on with one worker less, and a new one joins.
    workers = [
      workers.find(
        (worker) => worker.child.exitCode === null && worker.child.signalCode === null,
      ) as AppProcess,
    ];
    workers.push(await AppProcess.start('worker', processEnv));
  }, 60_000);

  it('warns at start when Redis may evict keys (maxmemory-policy other than noeviction)', async () => {
    await redis.withClient((client) => client.config('SET', 'maxmemory-policy', 'allkeys-lru'));
    try {
      const careless = await AppProcess.start('worker', processEnv);
      try {
        // A JSON log line: the quotes come escaped.
        await eventually(
          async () => /maxmemory-policy is \\?"allkeys-lru/.test(careless.output.join('')),
          5000,
          'eviction warning',
        );
      } finally {
        await careless.stop();
      }
    } finally {
      await redis.withClient((client) => client.config('SET', 'maxmemory-policy', 'noeviction'));
    }
  }, 60_000);

  it('finishes the jobs it is running before a worker exits on SIGTERM', async () => {
    const batch = await aCultureCompleteBatch(http, cast);
    await passingQc(http, batch.id, cast.technician.token, { except: ['IDENTITY_NEGATIVE'] });
    const holder = new Client({ connectionString: db.settings.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `flag:READY_FOR_RELEASE:${batch.id}`,
      ]);
      const last = await aQcResult(http, batch.id, cast.technician.token, {
        test: 'IDENTITY_NEGATIVE',
        value: 0.5,
        testedAt: new Date().toISOString(),
      });
      const event = await sql.query('SELECT id FROM outbox_events WHERE subject_id = $1', [last.id]);
      const jobId = `outbox-${event.rows[0].id}`;
      const active = await eventually(async () => {
        const job = await readiness.getJob(jobId);
        return job && (await job.getState()) === 'active' && job.processedBy ? job : null;
      }, 10_000);
      const stopping = workers.find((worker) => worker.workerName === active.processedBy) as AppProcess;
      stopping.kill('SIGTERM');
      await sleep(1000);
      expect(stopping.child.exitCode).toBeNull(); // still finishing its job
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
        `flag:READY_FOR_RELEASE:${batch.id}`,
      ]);
      // Nest closes the app, then lets the signal end the process.
      await stopping.exitCode();
      expect(stopping.child.signalCode ?? stopping.child.exitCode).toMatch(/^(SIGTERM|0)$/);
      const finished = await readiness.getJob(jobId);
      expect(await finished?.getState()).toBe('completed');
      expect(finished?.processedBy).toBe(stopping.workerName);
      expect(finished?.attemptsStarted).toBe(1);
      expect((await sql.query('SELECT status FROM flags WHERE subject_id = $1', [batch.id])).rows).toEqual([
        { status: 'OPEN' },
      ]);
    } finally {
      await holder.end();
    }
  }, 60_000);
});

/** The settings every process of the deployment shares: its database, Redis and queue prefix, fast jobs. */
function envOf(db: PrivateDatabase, redis: PrivateRedis): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: db.settings.databaseUrl,
    QUEUE_PREFIX: db.settings.queuePrefix,
    REDIS_URL: redis.url,
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    JOBS_READINESS_SWEEP_SECONDS: '1',
    JOBS_LOCK_DURATION_MS: '2000',
    JOBS_STALLED_INTERVAL_MS: '1000',
    JOBS_OUTBOX_POLL_MS: '250',
    JOBS_BACKOFF_MS: '100',
  };
}
