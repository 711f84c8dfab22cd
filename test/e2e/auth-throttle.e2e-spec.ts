import { loadEnvironment } from '../../config/environment';
import { aPerson } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

const SOURCE_LIMIT = 8;

/**
 * Throttling of failed authentication (src/auth/source-throttle.ts, src/auth/credentials.service.ts): per
 * client address across accounts (in Redis, every process), and per account and source (in PostgreSQL), so
 * that nobody can lock a chosen victim out for free. Client addresses come from X-Forwarded-For, which the
 * app trusts from the loopback proxy these requests come through.
 */
describe('auth: throttling failed sign-ins per source address', () => {
  let t: TestApp;

  beforeAll(async () => {
    const env = loadEnvironment();
    t = await startTestApp({
      env: {
        auth: { ...env.auth, sourceMaxFailures: SOURCE_LIMIT },
        queuePrefix: `${env.queuePrefix}_throttle_${unique().toLowerCase()}`,
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (from: string, email: string, password: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('refuses an address that failed too often against any accounts, whatever the password, before hashing', async () => {
    const from = '203.0.113.7';
    for (let i = 0; i < SOURCE_LIMIT; i++)
      await login(from, `${unique('spray').toLowerCase()}@cpc.test`, 'guess-password').expect(401);
    const someone = await aPerson(t.http, 'technician');
    const refused = await login(from, someone.email, someone.password).expect(429);
    expect(refused.body).toMatchObject({
      code: 'RATE_LIMITED',
      details: { lockedUntil: expect.any(String) },
    });
    // Another address is not held back by it.
    await login('203.0.113.8', someone.email, someone.password).expect(200);
  });

  it('never holds successful sign-ins against an address', async () => {
    const from = '203.0.113.20';
    const person = await aPerson(t.http, 'qa');
    for (let i = 0; i < SOURCE_LIMIT * 2; i++) await login(from, person.email, person.password).expect(200);
    await login(from, person.email, 'not-the-password').expect(401);
  });

  it('locks an account for the guessing address only: the owner still signs in from elsewhere', async () => {
    const victim = await aPerson(t.http, 'admin');
    const attacker = '203.0.113.30';
    for (let i = 0; i < 5; i++) await login(attacker, victim.email, 'not-the-password').expect(401);
    await login(attacker, victim.email, victim.password).expect(429);
    await login('192.0.2.44', victim.email, victim.password).expect(200);
  });
});
