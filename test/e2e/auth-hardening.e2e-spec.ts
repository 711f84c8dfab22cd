import { PasswordHasher } from '../../src/auth/password-hasher';
import { aPerson } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

/**
 * Sign-in hardening (src/auth/credentials.service.ts): attempts are admitted before their password is compared,
 * so parallel guesses cannot outrun the count; a refused attempt answers the same whatever its password; and an
 * unknown e-mail answers exactly like an existing account.
 */
describe('auth hardening: atomic admission, one answer for all', () => {
  let t: TestApp;

  beforeAll(async () => {
    // 200 guesses for one account queue on its lock; under a loaded machine some would wait past the pool's
    // or the statement's default 5 s bound and answer 503, which is the database bounds' test
    // (hardening-database), not this one's.
    t = await startTestApp({
      env: { databaseAcquireTimeoutMs: 120_000, databaseStatementTimeoutMs: 120_000 },
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });

  it('compares at most the allowed number of 200 parallel guesses, the right one among them', async () => {
    const person = await aPerson(t.http, 'technician');
    const verify = jest.spyOn(t.app.get(PasswordHasher), 'verify');
    try {
      const guesses = Array.from({ length: 200 }, (_, i) =>
        i === 150 ? person.password : `wrong-guess-${i}-password`,
      );
      const answers = await Promise.all(guesses.map((password) => login(person.email, password)));
      const statuses = answers.map((answer) => answer.status);
      expect(verify.mock.calls.length).toBeLessThanOrEqual(5);
      expect(statuses.filter((status) => ![200, 401, 429].includes(status))).toEqual([]);
      // Every compared guess answered for its password; every other one was refused before the hash.
      expect(statuses.filter((status) => status !== 429)).toHaveLength(verify.mock.calls.length);
      const failures = await t.sql.query('SELECT count(*)::int AS n FROM auth_failures WHERE user_id = $1', [
        person.id,
      ]);
      expect(failures.rows[0].n).toBe(statuses.filter((status) => status === 401).length);
    } finally {
      verify.mockRestore();
    }
  }, 180_000);

  it('answers a locked account exactly alike for the right and a wrong password', async () => {
    const person = await aPerson(t.http, 'qa');
    for (let attempt = 1; attempt <= 5; attempt++) await login(person.email, 'not-the-password').expect(401);
    const right = await login(person.email, person.password);
    const wrong = await login(person.email, 'not-the-password');
    expect(right.status).toBe(429);
    expect([right.status, right.body]).toEqual([wrong.status, wrong.body]);
  });

  it('answers an unknown e-mail exactly like an existing account, lock-out included', async () => {
    const person = await aPerson(t.http, 'technician');
    const unknown = `${unique('nobody').toLowerCase()}@cpc.test`;
    const shape = (answer: { status: number; body: Record<string, unknown> }) => ({
      status: answer.status,
      body: { ...answer.body, details: { ...(answer.body.details as object), lockedUntil: 'set' } },
    });
    for (let attempt = 1; attempt <= 7; attempt++) {
      const known = await login(person.email, 'not-the-password');
      const other = await login(unknown, 'not-the-password');
      expect(shape(other)).toEqual(shape(known));
      expect(known.status).toBe(attempt <= 5 ? 401 : 429);
    }
  });
});
