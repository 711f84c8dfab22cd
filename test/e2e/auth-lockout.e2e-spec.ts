import { SignatureService } from '../../src/auth/signature.service';
import { DomainError } from '../../src/common/errors/domain-error';
import { aPerson, bearer, Person } from '../support/people';
import {
  aPrivateDatabase,
  loginAsAdmin,
  PrivateDatabase,
  startTestApp,
  startTestAppWith,
  TestApp,
} from '../support/test-app';

const MINUTE = 60 * 1000;

describe('auth: lock-out after 5 failed logins or signatures within 15 minutes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const failLogin = (app: TestApp, person: Person) =>
    app.http.post('/api/v1/auth/login').send({ email: person.email, password: 'not-the-password' });
  const rightLogin = (app: TestApp, person: Person) =>
    app.http.post('/api/v1/auth/login').send({ email: person.email, password: person.password });
  const failPasswordChange = (app: TestApp, person: Person) =>
    app.http
      .post('/api/v1/auth/password')
      .set(...bearer(person))
      .send({ currentPassword: 'not-the-password', newPassword: 'a-brand-new-password' });
  const failureKinds = async (app: TestApp, userId: string): Promise<string[]> =>
    (await app.sql.query('SELECT kind FROM auth_failures WHERE user_id = $1 ORDER BY id', [userId])).rows.map(
      (row: { kind: string }) => row.kind,
    );
  const lockedUntil = async (app: TestApp, userId: string): Promise<Date | null> =>
    (
      await app.sql.query(
        'SELECT max(l.locked_until) AS locked_until FROM auth_locks l JOIN users u ON l.account = lower(u.email) WHERE u.id = $1',
        [userId],
      )
    ).rows[0].locked_until as Date | null;
  const lockEntries = async (app: TestApp, userId: string): Promise<number> =>
    Number(
      (
        await app.sql.query(
          "SELECT count(*) FROM audit_entries WHERE entity_id = $1 AND action = 'auth.locked'",
          [userId],
        )
      ).rows[0].count,
    );

  it('locks the account after 5 failed logins: the next login is 429 RATE_LIMITED even with the right password', async () => {
    const person = await aPerson(t.http, 'technician');
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await failLogin(t, person)).status).toBe(401);
    }
    const refused = await rightLogin(t, person).expect(429);
    expect(refused.body).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      details: { lockedUntil: expect.any(String) },
    });

    // The count lives in PostgreSQL, where every process sees it.
    expect(await failureKinds(t, person.id)).toEqual(['LOGIN', 'LOGIN', 'LOGIN', 'LOGIN', 'LOGIN']);
    const until = await lockedUntil(t, person.id);
    expect(until!.getTime()).toBeGreaterThan(Date.now() + 14 * MINUTE);
    expect(until!.getTime()).toBeLessThanOrEqual(Date.now() + 15 * MINUTE);
    expect(await lockEntries(t, person.id)).toBe(1);
  });

  it('does not count the refused attempts of a locked account, nor check their password', async () => {
    const person = await aPerson(t.http, 'qa');
    for (let attempt = 1; attempt <= 5; attempt++) await failLogin(t, person);
    await failLogin(t, person).expect(429);
    await rightLogin(t, person).expect(429);
    expect(await failureKinds(t, person.id)).toHaveLength(5);
  });

  it('does not lock after four failures', async () => {
    const person = await aPerson(t.http, 'technician');
    for (let attempt = 1; attempt <= 4; attempt++) await failLogin(t, person).expect(401);
    await rightLogin(t, person).expect(200);
    expect(await lockedUntil(t, person.id)).toBeNull();
  });

  it('counts failed password changes and signatures together (one source: the signer), and then refuses both (429)', async () => {
    const person = await aPerson(t.http, 'qa');
    for (let attempt = 1; attempt <= 3; attempt++) await failPasswordChange(t, person).expect(422);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(
        t.app
          .get(SignatureService)
          .sign(person, { password: 'not-the-password', meaning: 'Released', record: {} }, new Date()),
      ).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    }
    expect(await failureKinds(t, person.id)).toEqual([
      'SIGNATURE',
      'SIGNATURE',
      'SIGNATURE',
      'SIGNATURE',
      'SIGNATURE',
    ]);
    const change = await t.http
      .post('/api/v1/auth/password')
      .set(...bearer(person))
      .send({ currentPassword: person.password, newPassword: 'a-brand-new-password' })
      .expect(429);
    expect(change.body.code).toBe('RATE_LIMITED');
    const signing = t.app
      .get(SignatureService)
      .sign(person, { password: person.password, meaning: 'Released', record: {} }, new Date());
    await expect(signing).rejects.toBeInstanceOf(DomainError);
    await expect(signing).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // The lock holds back whoever guessed with this session, not the owner signing in afresh.
    await rightLogin(t, person).expect(200);
  });

  it('keeps tokens issued before the lock working: the lock stops guessing, not the session', async () => {
    const person = await aPerson(t.http, 'technician');
    for (let attempt = 1; attempt <= 5; attempt++) await failLogin(t, person);
    await t.http
      .get('/api/v1/auth/me')
      .set(...bearer(person))
      .expect(200);
  });

  it('locks exactly once when failures race in parallel (the count is serialized on the user row)', async () => {
    const person = await aPerson(t.http, 'doctor');
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => failLogin(t, person)))).map(
      (r) => r.status,
    );
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(await lockEntries(t, person.id)).toBe(1);
    expect(await lockedUntil(t, person.id)).not.toBeNull();
    await rightLogin(t, person).expect(429);
    // Whatever raced in, the failures counted are exactly those that were checked.
    expect(await failureKinds(t, person.id)).toHaveLength(statuses.filter((status) => status === 401).length);
  });

  it('shows the lock to an admin in the user view', async () => {
    const person = await aPerson(t.http, 'qa');
    for (let attempt = 1; attempt <= 5; attempt++) await failLogin(t, person);
    const admin = await loginAsAdmin(t.http);
    const users = await t.http
      .get('/api/v1/users?limit=200')
      .set(...bearer(admin))
      .expect(200);
    const view = (users.body.items as { id: string; lockedUntil: string | null }[]).find(
      (user) => user.id === person.id,
    );
    expect(view?.lockedUntil).toEqual(expect.any(String));
  });

  describe('in time (own database, clock moved)', () => {
    let db: PrivateDatabase;
    let timed: TestApp;
    const start = new Date();

    beforeAll(async () => {
      db = await aPrivateDatabase();
      timed = await startTestAppWith(db.settings, { clock: start });
    });
    afterAll(async () => {
      await timed.close();
      await db.drop();
    });

    it('lifts the lock after 15 minutes, and an expired lock is not re-armed by the next single failure', async () => {
      const person = await aPerson(timed.http, 'technician');
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin(timed, person).expect(401);
      timed.clock!.advance(14 * MINUTE);
      await rightLogin(timed, person).expect(429);
      timed.clock!.advance(1 * MINUTE + 1000);
      await failLogin(timed, person).expect(401);
      await rightLogin(timed, person).expect(200);
    });

    it('forgets failures older than 15 minutes', async () => {
      const person = await aPerson(timed.http, 'qa');
      for (let attempt = 1; attempt <= 4; attempt++) await failLogin(timed, person).expect(401);
      timed.clock!.advance(15 * MINUTE + 1000);
      await failLogin(timed, person).expect(401);
      await rightLogin(timed, person).expect(200);
      expect(await lockedUntil(timed, person.id)).toBeNull();
    });

    it('records each failure at the time of the clock', async () => {
      const person = await aPerson(timed.http, 'technician');
      await failLogin(timed, person).expect(401);
      const row = await timed.sql.query('SELECT at FROM auth_failures WHERE user_id = $1', [person.id]);
      expect((row.rows[0].at as Date).getTime()).toBe(timed.clock!.now().getTime());
    });
  });
});
