import { Queue } from 'bullmq';
import { JobName, JobQueueName } from '../../src/jobs/job-names';
import { JobQueues } from '../../src/jobs/queues/job-queues';
import { aJobsApp, eventually, JobsTestApp, runSweep } from '../support/flag-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { TEST_ADMIN } from '../support/test-env';

const basic = (email: string, password: string): string =>
  `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

/** Job control for administrators, the queue dashboard, retries and failed jobs, and job metrics. */
describe('jobs: control, dashboard, retries and metrics', () => {
  let t: JobsTestApp;
  let cast: Cast;
  /** A BullMQ handle on the app's readiness queue, as an operator's script would have. */
  let readiness: Queue;

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    readiness = new Queue('readiness', {
      connection: { url: process.env.REDIS_URL },
      prefix: t.db.settings.queuePrefix,
    });
  }, 60_000);
  afterAll(async () => {
    await readiness.close();
    await t.dispose();
  });

  describe('POST /jobs/:name/run and GET /jobs/:name/runs/:jobId', () => {
    it.each(['readiness', 'storage-review', 'expiry'])(
      'runs the %s sweep now for an admin (202) and reports its result',
      async (name) => {
        const started = await t.http.post(`/api/v1/jobs/${name}/run`).set(...bearer(cast.admin));
        expect(started.status).toBe(202);
        expect(started.body).toEqual({ jobId: expect.stringMatching(/^sweep-/) });
        const run = await eventually(async () => {
          const response = await t.http
            .get(`/api/v1/jobs/${name}/runs/${started.body.jobId}`)
            .set(...bearer(cast.admin));
          expect(response.status).toBe(200);
          return response.body.state === 'completed' ? response.body : null;
        });
        expect(run).toMatchObject({
          jobId: started.body.jobId,
          queue: name,
          name: 'sweep',
          state: 'completed',
          result: {
            evaluated: expect.any(Number),
            raised: expect.any(Number),
            resolved: expect.any(Number),
            updated: expect.any(Number),
          },
          attemptsMade: expect.any(Number),
          queuedAt: expect.any(String),
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
        });
      },
    );

    it.each(['qa', 'technician', 'doctor'] as const)(
      'refuses a %s (403), before looking at the name',
      async (role) => {
        const who: Person = cast[role === 'qa' ? 'qa' : role === 'technician' ? 'technician' : 'doctor'];
        const run = await t.http.post('/api/v1/jobs/no-such-job/run').set(...bearer(who));
        expect(run.status).toBe(403);
        expect(run.body.code).toBe('FORBIDDEN');
        const state = await t.http.get('/api/v1/jobs/readiness/runs/sweep-x').set(...bearer(who));
        expect(state.status).toBe(403);
      },
    );

    it('needs a token (401)', async () => {
      expect((await t.http.post('/api/v1/jobs/readiness/run')).status).toBe(401);
      expect((await t.http.get('/api/v1/jobs/readiness/runs/sweep-x')).status).toBe(401);
    });

    it('answers 404 for a job name that does not exist, and for a run that does not exist', async () => {
      const unknown = await t.http.post('/api/v1/jobs/cleanup/run').set(...bearer(cast.admin));
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect((await t.http.get('/api/v1/jobs/cleanup/runs/sweep-1').set(...bearer(cast.admin))).status).toBe(
        404,
      );
      expect(
        (await t.http.get('/api/v1/jobs/expiry/runs/sweep-none').set(...bearer(cast.admin))).status,
      ).toBe(404);
    });

    it('refuses a job id that could not be one (400 naming jobId)', async () => {
      const response = await t.http.get('/api/v1/jobs/readiness/runs/bad%20id!').set(...bearer(cast.admin));
      expect(response.status).toBe(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'jobId' })]);
    });
  });

  describe('retries and failed jobs', () => {
    it('retries a failing job with exponential backoff, then keeps it as failed for inspection', async () => {
      // Queued as the relay queues events (the app's default job options), about a subject id the database
      // refuses: every attempt fails the same way.
      const jobId = await t.app.get(JobQueues).add(JobQueueName.READINESS, {
        name: JobName.EVALUATE,
        data: { subjectType: 'batch', subjectId: 'not-a-uuid' },
      });
      const failed = await eventually(async () => {
        const response = await t.http.get(`/api/v1/jobs/readiness/runs/${jobId}`).set(...bearer(cast.admin));
        return response.body.state === 'failed' ? response.body : null;
      });
      expect(failed).toMatchObject({
        state: 'failed',
        attemptsMade: 3,
        failedReason: expect.stringContaining('uuid'),
      });
      const kept = await readiness.getJob(jobId);
      expect(kept?.opts.backoff).toEqual({ type: 'exponential', delay: 100 });
      // Three attempts with 100 ms, then 200 ms between them.
      expect((kept?.finishedOn as number) - (kept?.timestamp as number)).toBeGreaterThanOrEqual(300);
    });

    it('fails a job of an unknown name at once, without retrying it', async () => {
      // With the app's default job options (3 attempts): the unknown name is not worth a retry.
      const job = await readiness.add('defragment', {}, t.app.get(JobQueues).jobOptions);
      const failed = await eventually(async () => {
        const response = await t.http.get(`/api/v1/jobs/readiness/runs/${job.id}`).set(...bearer(cast.admin));
        return response.body.state === 'failed' ? response.body : null;
      });
      expect(failed).toMatchObject({ attemptsMade: 1, failedReason: expect.stringContaining('defragment') });
    });
  });

  describe('GET /admin/queues (dashboard)', () => {
    let otherAdmin: Person;
    beforeAll(async () => {
      otherAdmin = await aPerson(t.http, 'admin');
    });

    it('asks a browser for HTTP Basic credentials (401 with WWW-Authenticate)', async () => {
      const response = await t.http.get('/admin/queues');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it("serves the dashboard and its API to an administrator's email and password", async () => {
      const page = await t.http
        .get('/admin/queues')
        .set('Authorization', basic(TEST_ADMIN.email, TEST_ADMIN.password));
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const queues = await t.http
        .get('/admin/queues/api/queues')
        .set('Authorization', basic(TEST_ADMIN.email, TEST_ADMIN.password));
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
        'environment',
        'expiry',
        'notifications',
        'readiness',
        'storage-review',
        'vigilance',
      ]);
    });

    it('refuses anyone else: a qa user (403), a bearer token alone (401)', async () => {
      const qa = await t.http
        .get('/admin/queues')
        .set('Authorization', basic(cast.qa.email, cast.qa.password));
      expect(qa.status).toBe(403);
      const bearerOnly = await t.http.get('/admin/queues/api/queues').set(...bearer(cast.admin));
      expect(bearerOnly.status).toBe(401);
    });

    it('counts wrong passwords toward the lock-out, and then refuses even the right one (429)', async () => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const wrong = await t.http
          .get('/admin/queues')
          .set('Authorization', basic(otherAdmin.email, 'not the password at all'));
        expect(wrong.status).toBe(401);
      }
      const failures = await t.sql.query('SELECT count(*)::int AS n FROM auth_failures WHERE user_id = $1', [
        otherAdmin.id,
      ]);
      expect(failures.rows[0].n).toBe(5);
      const locked = await t.http
        .get('/admin/queues')
        .set('Authorization', basic(otherAdmin.email, otherAdmin.password));
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
    });
  });

  describe('metrics and docs', () => {
    it('exposes job counts and durations and the outbox backlog on /metrics', async () => {
      await runSweep(t.http, cast.admin, 'readiness');
      const response = await t.http.get('/metrics');
      expect(response.status).toBe(200);
      expect(response.text).toMatch(
        /jobs_finished_total\{queue="readiness",name="sweep",outcome="completed"\} [1-9]/,
      );
      expect(response.text).toContain('job_duration_seconds_bucket{');
      expect(response.text).toMatch(/job_queue_jobs\{queue="readiness",state="completed"\} [1-9]/);
      expect(response.text).toMatch(/^outbox_backlog \d+$/m);
      expect(response.text).toContain('outbox_events_relayed_total');
    });

    it('documents the flags and jobs routes with their errors in the OpenAPI document', async () => {
      const document = (await t.http.get('/docs-json')).body as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      expect(Object.keys(document.paths['/api/v1/flags/{id}/acknowledge'].post.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '404']),
      );
      expect(Object.keys(document.paths['/api/v1/jobs/{name}/run'].post.responses)).toEqual(
        expect.arrayContaining(['202', '401', '403', '404', '503']),
      );
      expect(document.paths['/api/v1/jobs/{name}/runs/{jobId}'].get).toBeDefined();
      expect(document.paths['/api/v1/flags'].get).toBeDefined();
    });
  });
});
