import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ExpiryService } from '../../src/jobs/expiry/expiry.service';
import { aPerson, bearer, Person } from '../support/people';
import { TcpProxy } from '../support/tcp-proxy';
import { loginAsAdmin, startTestApp, TestApp, unique } from '../support/test-app';

/** The HTTP conventions every module inherits: error bodies, limits, validation, idempotency, outages. */
describe('HTTP conventions', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const clinicCount = async (code: string): Promise<number> =>
    Number((await t.sql.query('SELECT count(*) FROM clinics WHERE code = $1', [code])).rows[0].count);

  describe('error bodies', () => {
    it('answers 401 UNAUTHENTICATED without a token, with the contract body', async () => {
      const response = await t.http.get('/api/v1/auth/me').expect(401);
      expect(response.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
        details: {},
      });
    });

    it('answers 401 for a token that is not ours', async () => {
      const response = await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', 'Bearer not.a.token')
        .expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers 404 NOT_FOUND for an unknown route', async () => {
      const response = await t.http
        .get('/api/v1/no-such-thing')
        .set(...bearer(admin))
        .expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });

    it('answers 400 VALIDATION_FAILED for malformed JSON and stores nothing', async () => {
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('content-type', 'application/json')
        .send('{"code": "BROKEN-1", ')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(await clinicCount('BROKEN-1')).toBe(0);
    });

    it('refuses unknown body properties (no mass assignment) and stores nothing', async () => {
      const code = unique('U').slice(0, 16);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code, name: 'Mass assignment', id: randomUUID() })
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.fields).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'id' })]),
      );
      expect(await clinicCount(code)).toBe(0);
    });

    it('names every invalid field in details', async () => {
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code: 'lower case!' })
        .expect(400);
      const fields = (response.body.details.fields as { field: string }[]).map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['code', 'name']));
    });

    it('answers 400 for a path id that is not a UUID, 404 for a well-formed one that does not exist', async () => {
      const bad = await t.http
        .patch('/api/v1/users/not-a-uuid')
        .set(...bearer(admin))
        .send({ name: 'x' })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const missing = await t.http
        .patch(`/api/v1/users/${randomUUID()}`)
        .set(...bearer(admin))
        .send({ name: 'x' })
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });

    it('answers 409 DUPLICATE when a unique constraint refuses the write', async () => {
      const code = unique('D').slice(0, 16);
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code, name: 'First' })
        .expect(201);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code, name: 'Second' })
        .expect(409);
      expect(response.body).toMatchObject({ statusCode: 409, code: 'DUPLICATE' });
      expect(await clinicCount(code)).toBe(1);
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body over 1 MiB', async () => {
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code: 'BIG', name: 'x'.repeat(1024 * 1024 + 10) })
        .expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('tags every answer with a request id, keeping one a proxy sent', async () => {
      const response = await t.http.get('/health').set('x-request-id', 'trace-abc-123');
      expect(response.headers['x-request-id']).toBe('trace-abc-123');
      const generated = await t.http.get('/health');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('Idempotency-Key', () => {
    let other: Person;
    beforeAll(async () => {
      other = await aPerson(t.http, 'admin');
    });

    it('replays the first answer for the same key and body without a second effect', async () => {
      const key = randomUUID();
      const code = unique('I').slice(0, 16);
      const first = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code, name: 'Once' });
      const second = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code, name: 'Once' });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(await clinicCount(code)).toBe(1);
    });

    it('replays a 4xx answer too', async () => {
      const key = randomUUID();
      const first = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code: '!' });
      const second = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code: '!' });
      expect(first.status).toBe(400);
      expect(second.status).toBe(400);
      expect(second.body).toEqual(first.body);
    });

    it('refuses the same key with a different body (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      const key = randomUUID();
      const code = unique('R').slice(0, 16);
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code, name: 'A' })
        .expect(201);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code, name: 'B' })
        .expect(422);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it("never replays another user's key: the same key is a new request for them", async () => {
      const key = randomUUID();
      const mine = unique('M').slice(0, 16);
      const theirs = unique('T').slice(0, 16);
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ code: mine, name: 'Mine' })
        .expect(201);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(other))
        .set('Idempotency-Key', key)
        .send({ code: theirs, name: 'Theirs' })
        .expect(201);
      expect(response.body.code).toBe(theirs);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_USE while a request with the key is still running', async () => {
      const key = randomUUID();
      const me = (await t.http.get('/api/v1/auth/me').set(...bearer(admin))).body as { id: string };
      const body = { code: unique('F').slice(0, 16), name: 'In flight' };
      // A running request holds the key's lock in its transaction; this connection takes it the same way.
      await t.sql.query('BEGIN');
      try {
        await t.sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7310420011))`, [
          me.id,
          key,
        ]);
        const response = await t.http
          .post('/api/v1/clinics')
          .set(...bearer(admin))
          .set('Idempotency-Key', key)
          .send(body)
          .expect(409);
        expect(response.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      } finally {
        await t.sql.query('ROLLBACK');
      }
      expect(await clinicCount(body.code)).toBe(0);
      // The running request died without an answer: the key is free at once, and runs once.
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      expect(await clinicCount(body.code)).toBe(1);
    });

    it('never runs a command again for a key left IN_FLIGHT (a completed key set back to IN_FLIGHT)', async () => {
      const key = randomUUID();
      const me = (await t.http.get('/api/v1/auth/me').set(...bearer(admin))).body as { id: string };
      const body = { code: unique('S').slice(0, 16), name: 'Stale' };
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      // How an earlier version left a key whose process died between the command's commit and the answer.
      await t.sql.query(
        `UPDATE idempotency_keys SET state = 'IN_FLIGHT', response_status = NULL, response_body = NULL,
                locked_at = now() - interval '61 seconds' WHERE user_id = $1 AND key = $2`,
        [me.id, key],
      );
      const retry = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send(body);
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect(await clinicCount(body.code)).toBe(1);
    });

    it('saves the answer with the effects: a key is never left without its answer', async () => {
      const key = randomUUID();
      const body = { code: unique('A').slice(0, 16), name: 'Answered' };
      const first = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      const row = await t.sql.query(
        'SELECT state, response_status, response_body FROM idempotency_keys WHERE key = $1',
        [key],
      );
      expect(row.rows[0]).toMatchObject({ state: 'DONE', response_status: 201, response_body: first.body });
    });

    it('keeps no answer that a retry may find changed (403, 404, 429): the key runs afresh', async () => {
      const person = await aPerson(t.http, 'technician');
      const keyRows = async (key: string): Promise<number> =>
        (await t.sql.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).rowCount ?? 0;
      const key = randomUUID();
      const body = { code: unique('P').slice(0, 16), name: 'Promoted' };
      const send = () =>
        t.http
          .post('/api/v1/clinics')
          .set(...bearer(person))
          .set('Idempotency-Key', key)
          .send(body);
      expect((await send()).status).toBe(403);
      expect(await keyRows(key)).toBe(0);
      await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ role: 'admin' })
        .expect(200);
      const retry = await send();
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();

      const missing = randomUUID();
      const qa = await aPerson(t.http, 'qa');
      const notFound = await t.http
        .post(`/api/v1/vials/${randomUUID()}/discard`)
        .set(...bearer(qa))
        .set('Idempotency-Key', missing)
        .send({ reason: 'no such vial' });
      expect(notFound.status).toBe(404);
      expect(await keyRows(missing)).toBe(0);

      const locked = await aPerson(t.http, 'qa');
      const change = (password: string, idempotencyKey: string) =>
        t.http
          .post('/api/v1/auth/password')
          .set(...bearer(locked))
          .set('Idempotency-Key', idempotencyKey)
          .send({ currentPassword: password, newPassword: 'a-brand-new-password' });
      for (let attempt = 1; attempt <= 5; attempt++)
        expect((await change('wrong-password', randomUUID())).status).toBe(422);
      const refused = randomUUID();
      expect((await change(locked.password, refused)).status).toBe(429);
      expect(await keyRows(refused)).toBe(0);
    });

    it('returns no connection to the pool inside a transaction after an answer it does not keep', async () => {
      const qa = await aPerson(t.http, 'qa');
      for (let i = 0; i < 3; i++) {
        await t.http
          .post(`/api/v1/vials/${randomUUID()}/discard`)
          .set(...bearer(qa))
          .set('Idempotency-Key', randomUUID())
          .send({ reason: 'no such vial' })
          .expect(404);
      }
      // Every pooled connection at once: inside a left-open transaction now() is its start, not this statement's.
      const db = t.app.get(DataSource);
      const size = (db.options as { extra?: { max?: number } }).extra?.max ?? 10;
      const answers = await Promise.all(
        Array.from({ length: size }, () =>
          db.query<{ fresh: boolean }[]>('SELECT pg_sleep(0.05), now() = statement_timestamp() AS fresh'),
        ),
      );
      expect(answers.map(([row]) => row.fresh)).toEqual(answers.map(() => true));
    });

    it('keeps keys at least 24 h, and the hourly expiry sweep forgets them after 48 h', async () => {
      const me = (await t.http.get('/api/v1/auth/me').set(...bearer(admin))).body as { id: string };
      const [young, old] = [randomUUID(), randomUUID()];
      for (const [key, age] of [
        [young, '25 hours'],
        [old, '49 hours'],
      ]) {
        await t.sql.query(
          `INSERT INTO idempotency_keys (user_id, key, fingerprint, state, locked_at, response_status, created_at)
           VALUES ($1, $2, 'f', 'DONE', now(), 201, now() - $3::interval)`,
          [me.id, key, age],
        );
      }
      // The sweep of this app, called directly: a run queued on the test run's shared queues may be taken by
      // another test file's app, whose fixed clock stands days away (the queue route is in jobs-control).
      await t.app.get(ExpiryService).sweep();
      const left = await t.sql.query('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [[young, old]]);
      expect(left.rows.map((row: { key: string }) => row.key)).toEqual([young]);
    });

    it('never stores a password with a saved request or response', async () => {
      const key = randomUUID();
      const password = `secret-${randomUUID()}`;
      await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .set('Idempotency-Key', key)
        .send({ email: `${unique().toLowerCase()}@cpc.test`, name: 'Key Test', role: 'technician', password })
        .expect(201);
      const rows = await t.sql.query('SELECT * FROM idempotency_keys WHERE key = $1', [key]);
      expect(rows.rowCount).toBe(1);
      expect(JSON.stringify(rows.rows)).not.toContain(password);
    });
  });
});

describe('when PostgreSQL is unreachable', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let admin: string;

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL as string);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(await proxy.start());
    t = await startTestApp({ env: { databaseUrl: url.toString() } });
    admin = await loginAsAdmin(t.http);
    await proxy.cut();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports 503 on /health with db down, and never 500', async () => {
    const response = await t.http.get('/health').expect(503);
    expect(response.body).toMatchObject({ status: 'down', db: 'down' });
  });

  it('answers 503 UNAVAILABLE to API calls, never 500', async () => {
    const response = await t.http.get('/api/v1/auth/me').set(...bearer(admin));
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('UNAVAILABLE');
  });
});
