import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppProcess, ensureBuilt } from '../support/app-process';
import { aBox } from '../support/bank-fixtures';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { eventually, sleep } from '../support/flag-fixtures';
import { aLegacyDin, csvOf, importOf, InventoryLine, postInventory } from '../support/import-fixtures';
import { aWebhook, deliveriesWhen } from '../support/notification-fixtures';
import { aCast, Cast } from '../support/people';
import { PrivateRedis } from '../support/redis-server';
import { passingQc } from '../support/release-fixtures';
import { aPrivateDatabase, PrivateDatabase, unique } from '../support/test-app';
import { verifyStandardWebhook, WebhookReceiver } from '../support/webhook-receiver';

/**
 * What must survive a crash: webhook deliveries (the app killed with a request in flight and Redis restarted
 * empty: every event still arrives, under its webhook-id) and an import (killed halfway: it resumes and imports
 * every line once). The app runs compiled in child processes, so SIGKILL is a real crash.
 */
describe('deliveries and imports survive restarts of the app and of Redis', () => {
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
      IMPORT_CHUNK_ROWS: '200',
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

  it('resumes an import killed halfway, and imports every line exactly once', async () => {
    const boxes = [];
    for (let i = 0; i < 13; i++) boxes.push((await aBox(http, cast.admin, { rows: 20, cols: 20 })).box);
    const lines: InventoryLine[] = [];
    for (let donor = 0; donor < 500; donor++) {
      const din = aLegacyDin();
      const ref = unique(`RES-${donor}-`);
      for (let vial = 1; vial <= 10; vial++) {
        const index = lines.length;
        lines.push({
          clinicCode: cast.clinic.code,
          externalRef: ref,
          birthYear: 1950 + (donor % 40),
          sex: donor % 2 === 0 ? 'F' : 'M',
          din,
          vialLabel: `${din}-V${String(vial).padStart(3, '0')}`,
          frozenAt: new Date(Date.UTC(2018, 0, 1) + index * 60_000).toISOString(),
          cells: 1_000_000 + index,
          boxId: boxes[Math.floor(index / 400)].id,
          row: Math.floor((index % 400) / 20) + 1,
          col: (index % 20) + 1,
        });
      }
    }
    const csv = csvOf(lines);
    const started = await postInventory(http, cast.admin, csv, false);
    expect(started.status).toBe(202);
    const importId = started.body.importId as string;
    const halfway = await eventually(
      async () => {
        const view = await importOf(http, cast.admin, importId);
        return view.processed >= 400 && view.processed < lines.length ? view : null;
      },
      60_000,
      'the import under way',
    );
    app.kill('SIGKILL');
    await app.exitCode();
    const atCrash = await sql.query('SELECT processed FROM imports WHERE id = $1', [importId]);
    expect(atCrash.rows[0].processed).toBeGreaterThanOrEqual(halfway.processed);
    expect(atCrash.rows[0].processed).toBeLessThan(lines.length);
    await restartApp();

    const done = await eventually(
      async () => {
        const view = await importOf(http, cast.admin, importId);
        return view.state === 'COMPLETED' ? view : null;
      },
      90_000,
      'the resumed import',
    );
    expect(done).toMatchObject({
      total: lines.length,
      processed: lines.length,
      created: lines.length,
      skipped: 0,
      errors: [],
    });
    const stored = await sql.query(
      `SELECT v.label, v.cells::bigint::text AS cells, v.box_id, v.pos_row, v.pos_col, v.frozen_at, b.din, b.status
         FROM vials v JOIN batches b ON b.id = v.batch_id WHERE v.label = ANY($1)`,
      [lines.map((line) => line.vialLabel)],
    );
    expect(stored.rows).toHaveLength(lines.length);
    const byLabel = new Map(stored.rows.map((row: { label: string }) => [row.label, row]));
    for (const line of lines) {
      const row = byLabel.get(String(line.vialLabel)) as Record<string, unknown>;
      expect({
        cells: Number(row.cells),
        box: row.box_id,
        row: row.pos_row,
        col: row.pos_col,
        frozenAt: (row.frozen_at as Date).toISOString(),
        din: row.din,
        status: row.status,
      }).toEqual({
        cells: line.cells,
        box: line.boxId,
        row: line.row,
        col: line.col,
        frozenAt: line.frozenAt,
        din: line.din,
        status: 'LEGACY',
      });
    }

    const rerun = await postInventory(http, cast.admin, csv, false);
    const again = await eventually(
      async () => {
        const view = await importOf(http, cast.admin, rerun.body.importId as string);
        return view.state === 'COMPLETED' ? view : null;
      },
      90_000,
      'the re-run',
    );
    expect(again).toMatchObject({ total: lines.length, created: 0, skipped: lines.length, errors: [] });
    const count = await sql.query('SELECT count(*)::int AS n FROM vials WHERE label = ANY($1)', [
      lines.map((l) => l.vialLabel),
    ]);
    expect(count.rows[0].n).toBe(lines.length);
  }, 240_000);

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
