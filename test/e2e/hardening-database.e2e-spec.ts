import { Client } from 'pg';
import { quoteIdentifier } from '../../src/database/ensure-database';
import { bearer } from '../support/people';
import {
  aPrivateDatabase,
  loginAsAdmin,
  PrivateDatabase,
  startTestAppWith,
  TestApp,
} from '../support/test-app';

/**
 * A database that will not give the application a connection, or will not answer in time, is an outage:
 * 503 UNAVAILABLE, never a 500 and never a request left hanging. Each case runs on a private database, so
 * freezing it touches no other test.
 */
describe('Database outages', () => {
  let db: PrivateDatabase;
  let control: Client;
  let name: string;

  beforeAll(async () => {
    db = await aPrivateDatabase();
    name = new URL(db.settings.databaseUrl).pathname.slice(1);
    control = new Client({ connectionString: process.env.DATABASE_URL });
    await control.connect();
  });
  afterAll(async () => {
    await control.query(`ALTER DATABASE ${quoteIdentifier(name)} ALLOW_CONNECTIONS true CONNECTION LIMIT -1`);
    await control.end();
    await db.drop();
  });

  const terminateBackends = (): Promise<unknown> =>
    control.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );

  describe('refusing connections', () => {
    let t: TestApp;
    let admin: string;
    beforeAll(async () => {
      t = await startTestAppWith(db.settings);
      admin = await loginAsAdmin(t.http);
    });
    afterAll(async () => {
      await control.query(
        `ALTER DATABASE ${quoteIdentifier(name)} ALLOW_CONNECTIONS true CONNECTION LIMIT -1`,
      );
      await t.close();
    });

    it('answers 503 when the database does not accept connections (55000) and its sessions were ended (57P01)', async () => {
      await control.query(`ALTER DATABASE ${quoteIdentifier(name)} ALLOW_CONNECTIONS false`);
      await terminateBackends();
      for (let i = 0; i < 3; i++) {
        const response = await t.http.get('/api/v1/auth/me').set(...bearer(admin));
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('UNAVAILABLE');
      }
      const write = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code: 'OUTAGE-55000', name: 'Outage' });
      expect(write.status).toBe(503);
      expect(write.body.code).toBe('UNAVAILABLE');
    });

    it('recovers once connections are allowed again', async () => {
      await control.query(`ALTER DATABASE ${quoteIdentifier(name)} ALLOW_CONNECTIONS true`);
      await t.http
        .get('/api/v1/auth/me')
        .set(...bearer(admin))
        .expect(200);
    });
  });

  describe('not answering in time', () => {
    let t: TestApp;
    let admin: string;
    let holder: Client;
    beforeAll(async () => {
      // A short bound keeps the test quick; production's default is 5 s (config/environment.ts).
      t = await startTestAppWith({ ...db.settings, databaseStatementTimeoutMs: 500 });
      admin = await loginAsAdmin(t.http);
      holder = new Client({ connectionString: db.settings.databaseUrl });
      await holder.connect();
    });
    afterAll(async () => {
      await holder.end();
      await t.close();
    });

    it('answers 503 while another session holds the table a request needs, instead of waiting for it', async () => {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE clinics IN ACCESS EXCLUSIVE MODE');
      try {
        const [read, write] = await Promise.all([
          t.http.get('/api/v1/clinics').set(...bearer(admin)),
          t.http
            .post('/api/v1/clinics')
            .set(...bearer(admin))
            .send({ code: 'FROZEN-1', name: 'Frozen' }),
        ]);
        expect([read.status, read.body.code]).toEqual([503, 'UNAVAILABLE']);
        expect([write.status, write.body.code]).toEqual([503, 'UNAVAILABLE']);
      } finally {
        await holder.query('ROLLBACK');
      }
      const stored = await t.sql.query("SELECT 1 FROM clinics WHERE code = 'FROZEN-1'");
      expect(stored.rowCount).toBe(0);
      await t.http
        .get('/api/v1/clinics')
        .set(...bearer(admin))
        .expect(200);
    });

    it('answers 503 when a statement runs past the bound (pg_sleep in a trigger on the path)', async () => {
      await t.sql.query(
        `CREATE FUNCTION hardening_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$`,
      );
      await t.sql.query(
        'CREATE TRIGGER hardening_slow BEFORE INSERT ON clinics FOR EACH ROW EXECUTE FUNCTION hardening_slow()',
      );
      try {
        const response = await t.http
          .post('/api/v1/clinics')
          .set(...bearer(admin))
          .send({ code: 'SLOW-1', name: 'Slow' });
        expect([response.status, response.body.code]).toEqual([503, 'UNAVAILABLE']);
      } finally {
        await t.sql.query('DROP TRIGGER hardening_slow ON clinics');
        await t.sql.query('DROP FUNCTION hardening_slow()');
      }
    });
  });
});
