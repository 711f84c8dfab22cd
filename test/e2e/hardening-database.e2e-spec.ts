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
});
