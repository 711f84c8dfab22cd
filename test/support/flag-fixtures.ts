import TestAgent from 'supertest/lib/agent';
import { Environment, JobsSettings, loadEnvironment } from '../../config/environment';
import { bearer } from './people';
import { aPrivateDatabase, PrivateDatabase, startTestAppWith, TestApp } from './test-app';

/** docs/domain.md, "Flags": recording the event that makes a flag due raises it within 5 seconds. */
export const FLAG_DEADLINE_MS = 5000;

/**
 * Job settings for tests: short locks and stall checks (BullMQ's defaults are 30 s), a quick outbox poll and
 * backoff, and sweeps that run only when a test asks (hourly), so a test sees what its events did.
 */
export function testJobSettings(overrides: Partial<JobsSettings> = {}): JobsSettings {
  return {
    ...loadEnvironment().jobs,
    readinessSweepSeconds: 3600,
    storageReviewSweepSeconds: 3600,
    expirySweepSeconds: 3600,
    environmentSweepSeconds: 3600,
    vigilanceSweepSeconds: 3600,
    outboxPollMs: 250,
    lockDurationMs: 3000,
    stalledIntervalMs: 1000,
    backoffMs: 100,
    attempts: 3,
    ...overrides,
  };
}

export interface JobsTestApp extends TestApp {
  db: PrivateDatabase;
  /** Closes the app and drops its database and queue keys. */
  dispose(): Promise<void>;
}

/**
 * The real app with its own database and queue prefix. Its workers, relay and sweeps see only this file's
 * records, and the other files' apps (some with clocks moved far from now) never take its jobs.
 */
export async function aJobsApp(
  settings: Partial<Environment> & { jobs?: JobsSettings } = {},
  options: { clock?: Date } = {},
): Promise<JobsTestApp> {
  const db = await aPrivateDatabase();
  const app = await startTestAppWith({ ...db.settings, jobs: testJobSettings(), ...settings }, options);
  return Object.assign(app, {
    db,
    async dispose() {
      await app.close();
      await db.drop();
    },
  });
}

export interface FlagView {
  id: string;
  type: string;
  status: string;
  batchId: string | null;
  doseId: string | null;
  reviewId: string | null;
  clinicId: string;
  subjectType: string;
  subjectId: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  details: Record<string, unknown>;
}

export async function listFlags(
  http: TestAgent,
  token: string,
  query: Record<string, string | number> = {},
): Promise<{ items: FlagView[]; nextCursor: string | null }> {
  const response = await http
    .get('/api/v1/flags')
    .query(query)
    .set(...bearer(token));
  if (response.status !== 200) throw new Error(`flags: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { items: FlagView[]; nextCursor: string | null };
}

/** Polls until `check` answers something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = FLAG_DEADLINE_MS,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The flag of `type` about `subjectId` in `status` (OPEN unless said), as the API lists it, within the
 * 5-second deadline counted from now.
 */
export async function flagWithin(
  http: TestAgent,
  token: string,
  want: { type: string; subjectId: string; status?: string; batchId?: string },
  timeoutMs = FLAG_DEADLINE_MS,
): Promise<FlagView> {
  const status = want.status ?? 'OPEN';
  return eventually(
    async () => {
      const query: Record<string, string> = { type: want.type, status, limit: '200' };
      if (want.batchId) query.batchId = want.batchId;
      const { items } = await listFlags(http, token, query);
      return items.find((flag) => flag.subjectId === want.subjectId);
    },
    timeoutMs,
    `${want.type} ${status} flag for ${want.subjectId}`,
  );
}

/** Every flag row of a subject, straight from the database (superuser connection). */
export async function flagRowsOf(
  t: TestApp,
  subjectId: string,
  type?: string,
): Promise<{ id: string; type: string; status: string; resolution: string | null }[]> {
  const result = await t.sql.query(
    `SELECT id, type, status, resolution FROM flags WHERE subject_id = $1 AND ($2::text IS NULL OR type = $2) ORDER BY raised_at`,
    [subjectId, type ?? null],
  );
  return result.rows as { id: string; type: string; status: string; resolution: string | null }[];
}

/** Runs a sweep through the API as `adminToken` and waits for its result. */
export async function runSweep(
  http: TestAgent,
  adminToken: string,
  name: 'readiness' | 'storage-review' | 'expiry' | 'environment' | 'vigilance',
  timeoutMs = 10_000,
): Promise<{ evaluated: number; raised: number; resolved: number; updated: number; skipped?: string }> {
  const started = await http.post(`/api/v1/jobs/${name}/run`).set(...bearer(adminToken));
  if (started.status !== 202)
    throw new Error(`run ${name}: ${started.status} ${JSON.stringify(started.body)}`);
  const { jobId } = started.body as { jobId: string };
  const run = await eventually(
    async () => {
      const response = await http.get(`/api/v1/jobs/${name}/runs/${jobId}`).set(...bearer(adminToken));
      const body = response.body as { state: string; result?: unknown; failedReason?: string };
      if (body.state === 'failed') throw new Error(`sweep ${name} failed: ${body.failedReason}`);
      return body.state === 'completed' ? body : null;
    },
    timeoutMs,
    `${name} sweep ${jobId}`,
  );
  return run.result as {
    evaluated: number;
    raised: number;
    resolved: number;
    updated: number;
    skipped?: string;
  };
}

/**
 * Waits until every job made from the outbox events about `subjectId` has completed in `queue`: what the
 * events could do, they did. Answers the events' ids.
 */
export async function eventJobsDone(
  t: TestApp,
  adminToken: string,
  queue: 'readiness' | 'storage-review' | 'expiry' | 'environment' | 'vigilance',
  subjectId: string,
): Promise<number[]> {
  const events = await t.sql.query('SELECT id FROM outbox_events WHERE subject_id = $1 ORDER BY id', [
    subjectId,
  ]);
  const ids = events.rows.map((row: { id: string }) => Number(row.id));
  for (const id of ids) {
    await eventually(
      async () => {
        const response = await t.http
          .get(`/api/v1/jobs/${queue}/runs/outbox-${id}`)
          .set(...bearer(adminToken));
        return response.status === 200 && (response.body as { state: string }).state === 'completed';
      },
      FLAG_DEADLINE_MS,
      `${queue} job of outbox event ${id}`,
    );
  }
  return ids;
}

/**
 * A storage review as the bank's review scheduler records it (row plus STORAGE_REVIEW_CHANGED event),
 * written straight into the database. TEMPORARY until the bank's HTTP routes (cryopreserve, consent
 * withdrawal) are there to create reviews through the API.
 */
export async function aStorageReviewWrittenBehindTheBank(
  t: TestApp,
  donor: { id: string; clinicId: string },
  dueAt: Date,
): Promise<string> {
  const review = await t.sql.query(
    `INSERT INTO storage_reviews (donor_id, clinic_id, due_at, status, created_at, updated_at)
     VALUES ($1, $2, $3, 'PENDING', now(), now()) RETURNING id`,
    [donor.id, donor.clinicId, dueAt],
  );
  const id = review.rows[0].id as string;
  await announceStorageReview(t, id, donor.id);
  return id;
}

/** QA's RETAIN decision of a review, written straight into the database like the one above (TEMPORARY). */
export async function decideStorageReviewBehindTheBank(
  t: TestApp,
  reviewId: string,
  donorId: string,
  qaId: string,
): Promise<void> {
  await t.sql.query(
    `UPDATE storage_reviews SET status = 'DECIDED', outcome = 'RETAIN', decided_at = now(), decided_by = $2, updated_at = now()
      WHERE id = $1`,
    [reviewId, qaId],
  );
  await announceStorageReview(t, reviewId, donorId);
}

async function announceStorageReview(t: TestApp, reviewId: string, donorId: string): Promise<void> {
  await t.sql.query(
    `INSERT INTO outbox_events (type, subject_type, subject_id, payload) VALUES ('storage_review.changed', 'storage_review', $1, $2)`,
    [reviewId, JSON.stringify({ donorId })],
  );
}
