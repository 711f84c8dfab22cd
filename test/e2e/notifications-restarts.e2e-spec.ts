import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppProcess, ensureBuilt } from '../support/app-process';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { eventually, sleep } from '../support/flag-fixtures';
import { aWebhook, deliveriesWhen } from '../support/notification-fixtures';
import { aCast, Cast } from '../support/people';
import { PrivateRedis } from '../support/redis-server';
import { passingQc } from '../support/release-fixtures';
import { aPrivateDatabase, PrivateDatabase } from '../support/test-app';
import { verifyStandardWebhook, WebhookReceiver } from '../support/webhook-receiver';

/**
 * What must survive a crash: webhook deliveries (the app killed with a request in flight and Redis restarted
 * empty: every event still arrives, under its webhook-id). The app runs compiled in a child process, so
 * SIGKILL is a real crash.
 */
describe('deliveries survive restarts of the app and of Redis', () => {
  let db: PrivateDatabase;
  let redis: PrivateRedis;
  let receiver: WebhookReceiver;
  let app: AppProcess;
  const outputs: string[][] = [];
  let http: TestAgent;
  let cast: Cast;
  let sql: Client;
  let env: NodeJS.ProcessEnv;
  const secrets: string[] = [];

  const restartApp = async (): Promise<void> => {
    app = await AppProcess.start('all', env);
    outputs.push(app.output);
    http = request(app.url);
  };

  beforeAll(async () => {
    ensureBuilt();
    [db, redis, receiver] = await Promise.all([
      aPrivateDatabase(),
      PrivateRedis.start(),
      WebhookReceiver.start(),
    ]);
    env = {
      ...process.env,
      DATABASE_URL: db.settings.databaseUrl,
      QUEUE_PREFIX: db.settings.queuePrefix,
      REDIS_URL: redis.url,
      MIGRATE_ON_START: 'false',
      // Everything the app says, to check below that no secret is ever in it.
      LOG_LEVEL: 'debug',
      JOBS_LOCK_DURATION_MS: '2000',
      JOBS_STALLED_INTERVAL_MS: '1000',
      JOBS_OUTBOX_POLL_MS: '250',
      JOBS_BACKOFF_MS: '100',
      WEBHOOK_ALLOW_INSECURE: 'true',
      WEBHOOK_RETRY_FIRST_DELAY_MS: '300',
      WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
      NOTIFICATIONS_SWEEP_SECONDS: '1',
    };
    await restartApp();
    cast = await aCast(http);
    sql = new Client({ connectionString: db.settings.databaseUrl });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await sql?.end();
    await receiver?.close();
    await redis?.stop();
    await db?.drop();
  });

  it('delivers every event under its own webhook-id after the app is killed mid-delivery and Redis comes back empty', async () => {
    const hook = await aWebhook(http, cast.admin, {
      url: receiver.url('/crash'),
      events: ['READY_FOR_RELEASE'],
    });
    secrets.push(hook.secret);
    receiver.answerWith('hang');
    const batches = [];
    for (let i = 0; i < 3; i++) {
      const batch = await aCultureCompleteBatch(http, cast);
      await passingQc(http, batch.id, cast.technician2.token);
      batches.push(batch);
    }
    // At least one request is in flight, unanswered, when the app dies.
    await eventually(async () => receiver.received.length > 0, 15_000, 'a delivery in flight');
    const inFlight = receiver.received.map((r) => r.id);
    app.kill('SIGKILL');
    await app.exitCode();
    await redis.stop();
    await redis.start();
    receiver.answerWith(204);
    await restartApp();

    const deliveries = await deliveriesWhen(
      http,
      cast.admin,
      hook.id,
      (d) => d.length === 3 && d.every((x) => x.state === 'DELIVERED'),
      40_000,
      'three deliveries after the crash',
    );
    const accepted = receiver.acceptedIds();
    for (const delivery of deliveries) expect(accepted.has(delivery.eventId)).toBe(true);
    // The request that hung is sent again with the same webhook-id.
    for (const id of inFlight) expect(accepted.has(id)).toBe(true);
    const batchesAnnounced = new Set(
      receiver.received.filter((r) => r.answered === 204).map((r) => r.json.data.batchId),
    );
    for (const batch of batches) expect(batchesAnnounced.has(batch.id)).toBe(true);
    for (const request of receiver.received)
      expect(verifyStandardWebhook(hook.secret, request, request.body)).toBe(true);
  });

  it('delivers an event raised while Redis was down, once Redis is back', async () => {
    const hook = await aWebhook(http, cast.admin, {
      url: receiver.url('/redis-down'),
      events: ['READY_FOR_RELEASE'],
    });
    secrets.push(hook.secret);
    await redis.stop();
    const batch = await aCultureCompleteBatch(http, cast);
    await passingQc(http, batch.id, cast.technician2.token);
    await sleep(1000);
    await redis.start();
    await deliveriesWhen(
      http,
      cast.admin,
      hook.id,
      (d) => d.length === 1 && d[0].state === 'DELIVERED',
      40_000,
    );
    expect(receiver.received.some((r) => r.json.data.batchId === batch.id && r.answered === 204)).toBe(true);
  });

  it('never wrote a webhook secret or the sealing key to its logs', () => {
    const logs = outputs.flat().join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(secret.slice('whsec_'.length));
    }
    expect(logs).not.toContain(String(process.env.WEBHOOK_SECRET_KEY));
  });
});
