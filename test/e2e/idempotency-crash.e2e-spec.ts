import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { AppProcess, ensureBuilt } from '../support/app-process';
import { sleep } from '../support/flag-fixtures';
import { aPrivateDatabase, login, PrivateDatabase } from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

const CLIENTS = 24;
const REQUESTS_PER_CLIENT = 8;
const KILLS = 3;
/** A client gives up on a key after this long; a key left in use by a dead request would hit it. */
const GIVE_UP_MS = 45_000;

interface Answer {
  code: string;
  status: number;
  body: { id?: string; code?: string };
  tries: number;
}

/**
 * Idempotency survives a crash (src/common/idempotency/idempotency.interceptor.ts): the compiled API, in a
 * child process, is killed with SIGKILL while clients are writing, then started again, several times. Each
 * client retries every write with its Idempotency-Key until it gets an answer. Whatever was in flight at the
 * kill, every key ends with exactly one effect and the answer of that effect, and no retry waits for a key
 * held by a dead request.
 */
describe('idempotency across SIGKILL of the API process', () => {
  let db: PrivateDatabase;
  let sql: Client;
  let env: NodeJS.ProcessEnv;
  let api: AppProcess;

  beforeAll(async () => {
    ensureBuilt();
    db = await aPrivateDatabase();
    env = {
      ...process.env,
      DATABASE_URL: db.settings.databaseUrl,
      QUEUE_PREFIX: db.settings.queuePrefix,
      LOG_LEVEL: 'fatal',
    };
    api = await AppProcess.start('api', env);
    sql = new Client({ connectionString: db.settings.databaseUrl });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    await api?.stop();
    await db?.drop();
  }, 60_000);

  /** POSTs one clinic under one key, against whichever process is up now, until an answer comes. */
  async function writeOnce(token: string, code: string): Promise<Answer> {
    const key = randomUUID();
    const started = Date.now();
    for (let tries = 1; ; tries++) {
      try {
        const response = await request(api.url)
          .post('/api/v1/clinics')
          .set('Authorization', `Bearer ${token}`)
          .set('Idempotency-Key', key)
          .timeout(10_000)
          .send({ code, name: 'Crash test clinic' });
        const retry = response.status >= 500 || response.body?.code === 'IDEMPOTENCY_KEY_IN_USE';
        if (!retry || Date.now() - started > GIVE_UP_MS)
          return { code, status: response.status, body: response.body, tries };
      } catch {
        // Connection refused or reset: the process is down; try again.
      }
      await sleep(50 + Math.random() * 150);
    }
  }

  it('leaves every key with exactly one effect and its answer, however often the process dies', async () => {
    const token = await login(request(api.url), TEST_ADMIN.email, TEST_ADMIN.password);
    let answered = 0;
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      const answers: Answer[] = [];
      for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
        answers.push(await writeOnce(token, `K${client}-${i}-${randomUUID().slice(0, 6)}`.toUpperCase()));
        answered += 1;
      }
      return answers;
    });
    const all = Promise.all(clients);

    for (let kill = 1; kill <= KILLS; kill++) {
      const before = answered;
      while (answered < before + CLIENTS) await sleep(20);
      api.kill('SIGKILL');
      await api.exitCode();
      api = await AppProcess.start('api', env);
    }
    const answers = (await all).flat();

    expect(answers).toHaveLength(CLIENTS * REQUESTS_PER_CLIENT);
    const wrong = answers.filter((answer) => answer.status !== 201 || answer.body.code !== answer.code);
    expect(wrong).toEqual([]);
    const rows = await sql.query<{ code: string; id: string }>(
      'SELECT code, id FROM clinics WHERE code = ANY($1)',
      [answers.map((answer) => answer.code)],
    );
    expect(rows.rows).toHaveLength(answers.length);
    const idOf = new Map(rows.rows.map((row) => [row.code, row.id]));
    expect(answers.filter((answer) => answer.body.id !== idOf.get(answer.code))).toEqual([]);
    const audited = await sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_entries WHERE action = 'clinic.created' AND entity_id = ANY($1::text[])`,
      [rows.rows.map((row) => row.id)],
    );
    expect(audited.rows[0].count).toBe(answers.length);
    // Some writes were in flight at a kill and were retried; none of their keys was left in use.
    expect(answers.some((answer) => answer.tries > 1)).toBe(true);
    const stuck = await sql.query(`SELECT 1 FROM idempotency_keys WHERE state <> 'DONE'`);
    expect(stuck.rowCount).toBe(0);
  }, 300_000);
});
