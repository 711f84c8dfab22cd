import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppProcess, ensureBuilt } from '../support/app-process';
import { aBox } from '../support/bank-fixtures';
import { eventually } from '../support/flag-fixtures';
import {
  aLegacyDin,
  finishedImport,
  importView,
  InventoryLine,
  inventoryFile,
  postInventory,
} from '../support/import-fixtures';
import { aClinic } from '../support/people';
import { aPrivateDatabase, login, PrivateDatabase, unique } from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

const DONORS = 15;
const VIALS_PER_DONOR = 20;
const TOTAL = DONORS * VIALS_PER_DONOR;
const CHUNK_LINES = 20;

/**
 * docs/imports.md, "When a run dies": the compiled worker (`node dist/src/main.js`, APP_ROLE=worker) is killed
 * with SIGKILL while it is inside a chunk's transaction, and a second worker takes the job up (BullMQ finds it
 * stalled). The chunk in flight is undone whole, the run resumes after the last checkpoint, and the import ends
 * with every line banked once: no vial, donor, batch, freezing, review or audit entry twice. A test trigger makes
 * each chunk's vial insert sleep, so there is a chunk in flight to kill; the kill waits until the database shows
 * one, rather than for a time.
 */
describe('legacy bank import: SIGKILL of the worker mid-chunk, then resume', () => {
  let db: PrivateDatabase;
  let sql: Client;
  let env: NodeJS.ProcessEnv;
  let api: AppProcess;
  let worker: AppProcess;
  let http: TestAgent;
  let admin: string;

  beforeAll(async () => {
    ensureBuilt();
    db = await aPrivateDatabase();
    env = {
      ...process.env,
      DATABASE_URL: db.settings.databaseUrl,
      QUEUE_PREFIX: db.settings.queuePrefix,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'fatal',
      IMPORT_CHUNK_LINES: String(CHUNK_LINES),
      // A job whose worker died is found stalled within seconds, not the default 30 s.
      JOBS_LOCK_DURATION_MS: '2000',
      JOBS_STALLED_INTERVAL_MS: '1000',
      JOBS_OUTBOX_POLL_MS: '250',
      JOBS_BACKOFF_MS: '100',
    };
    sql = new Client({ connectionString: db.settings.databaseUrl });
    await sql.connect();
    // Each chunk's insert of its vials takes a while, so the kill finds a chunk half done.
    await sql.query(`
      CREATE FUNCTION test_slow_vials() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`);
    await sql.query(
      'CREATE TRIGGER test_slow_vials BEFORE INSERT ON vials FOR EACH STATEMENT EXECUTE FUNCTION test_slow_vials()',
    );
    [api, worker] = await Promise.all([AppProcess.start('api', env), AppProcess.start('worker', env)]);
    http = request(api.url);
    admin = await login(http, TEST_ADMIN.email, TEST_ADMIN.password);
  }, 180_000);

  afterAll(async () => {
    await sql?.end();
    await Promise.all([api, worker].filter(Boolean).map((p) => p.stop()));
    await db?.drop();
  }, 60_000);

  /** What the import made, straight from the database: each count, and how many things exist twice. */
  async function made(labels: readonly string[], dins: readonly string[], refs: readonly string[]) {
    const { rows } = await sql.query<Record<string, number>>(
      `SELECT
         (SELECT count(*)::int FROM vials WHERE label = ANY($1)) AS vials,
         (SELECT count(DISTINCT label)::int FROM vials WHERE label = ANY($1)) AS "distinctVials",
         (SELECT count(*)::int FROM vial_events e JOIN vials v ON v.id = e.vial_id
           WHERE v.label = ANY($1) AND e.event = 'FROZEN') AS "frozenEvents",
         (SELECT count(*)::int FROM batches WHERE din = ANY($2)) AS batches,
         (SELECT count(*)::int FROM donors WHERE external_ref = ANY($3)) AS donors,
         (SELECT coalesce(sum(c.vial_count), 0)::int FROM cryopreservations c JOIN batches b ON b.id = c.batch_id
           WHERE b.din = ANY($2)) AS "frozenInFreezings",
         (SELECT count(*)::int FROM storage_reviews r JOIN donors d ON d.id = r.donor_id
           WHERE d.external_ref = ANY($3) AND r.status = 'PENDING') AS reviews,
         (SELECT coalesce(sum(b.viable_cells_yielded), 0)::int FROM batches b WHERE b.din = ANY($2)) AS cells,
         (SELECT count(*)::int FROM audit_entries a, jsonb_array_elements(a.after->'vials') AS x(v)
           WHERE a.action = 'vial.legacy_banked' AND x.v->>'label' = ANY($1)) AS "auditedVials"`,
      [labels, dins, refs],
    );
    return rows[0];
  }

  it('undoes the chunk in flight, resumes after the checkpoint on another worker, and banks every line once', async () => {
    const clinic = await aClinic(http);
    const { box } = await aBox(http, admin, { rows: 20, cols: 20 });
    const refs = Array.from({ length: DONORS }, () => unique('K-'));
    const dins = refs.map(() => aLegacyDin());
    const lines: InventoryLine[] = [];
    refs.forEach((ref, d) => {
      for (let v = 1; v <= VIALS_PER_DONOR; v++) {
        const n = lines.length;
        lines.push({
          clinicCode: clinic.code,
          externalRef: ref,
          birthYear: '1960',
          sex: 'F',
          din: dins[d],
          vialLabel: `${dins[d]}-V${String(v).padStart(3, '0')}`,
          frozenAt: '2020-02-29T10:00:00+09:00',
          cells: '1000000',
          boxId: box.id,
          row: String(Math.floor(n / 20) + 1),
          col: String((n % 20) + 1),
        });
      }
    });
    const labels = lines.map((l) => l.vialLabel);
    const file = inventoryFile(lines);
    const started = await postInventory(http, admin, file, false);
    expect(started.status).toBe(202);
    const id = started.body.importId as string;

    // Kill once a few chunks have committed and the worker is inside the next one's vial insert.
    await eventually(
      async () => {
        const view = await importView(http, admin, id);
        if (view.processed < 3 * CHUNK_LINES) return false;
        const { rows } = await sql.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
              AND query LIKE 'INSERT INTO vials%'`,
        );
        return rows.length > 0;
      },
      60_000,
      'a chunk in flight after three committed',
    );
    worker.kill('SIGKILL');
    await worker.exitCode();
    // Its connections go once the sleeping statement returns and finds the client gone: the chunk rolls back.
    await eventually(
      async () =>
        (
          await sql.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'INSERT INTO vials%'
                AND state <> 'idle'`,
          )
        ).rows.length === 0,
      30_000,
      'the killed worker’s statement ended',
    );
    const halfway = await importView(http, admin, id);
    expect(halfway.state).toBe('RUNNING');
    expect(halfway.processed % CHUNK_LINES).toBe(0);
    expect(halfway.processed).toBeGreaterThanOrEqual(3 * CHUNK_LINES);
    expect(halfway.processed).toBeLessThan(TOTAL);
    // Exactly the committed chunks' vials exist: nothing of the chunk that was in flight.
    const atKill = await made(labels, dins, refs);
    expect(atKill.vials).toBe(halfway.created);
    expect(atKill.vials).toBe(halfway.processed);
    expect(atKill.auditedVials).toBe(halfway.processed);
    expect(atKill.frozenInFreezings).toBe(halfway.processed);

    // Another worker finds the job stalled and runs it from the checkpoint.
    worker = await AppProcess.start('worker', env);
    const done = await finishedImport(http, admin, id, 90_000);
    expect(done).toMatchObject({
      state: 'COMPLETED',
      total: TOTAL,
      processed: TOTAL,
      created: TOTAL,
      skipped: 0,
      errors: [],
      failure: null,
    });
    const after = await made(labels, dins, refs);
    expect(after).toEqual({
      vials: TOTAL,
      distinctVials: TOTAL,
      frozenEvents: TOTAL,
      batches: DONORS,
      donors: DONORS,
      frozenInFreezings: TOTAL,
      // One donor, one freezing date: one review each, on the next anniversary of 29 February 2020.
      reviews: DONORS,
      cells: TOTAL * 1_000_000,
      auditedVials: TOTAL,
    });
    const { rows: banked } = await sql.query<{ label: string }>(
      'SELECT label FROM vials WHERE label = ANY($1) ORDER BY label',
      [labels],
    );
    expect(banked.map((row) => row.label)).toEqual([...labels].sort());

    // The same file again: a new import that skips every line and makes nothing.
    const again = await postInventory(http, admin, file, false);
    expect(again.body.importId).not.toBe(id);
    const rerun = await finishedImport(http, admin, again.body.importId as string, 90_000);
    expect(rerun).toMatchObject({ state: 'COMPLETED', processed: TOTAL, created: 0, skipped: TOTAL });
    expect(await made(labels, dins, refs)).toEqual(after);
  });
});
