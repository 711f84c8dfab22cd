import { aPerson, bearer, Person } from '../support/people';
import { loginAsAdmin, startTestApp, TestApp } from '../support/test-app';

const basic = (email: string, password: string): string =>
  `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

/**
 * Revocation (src/auth/auth.guard.ts, users.tokens_valid_after): a password change, an administrator's
 * unlock and a logout stop every earlier token at once, in every process. Two application instances on one
 * database stand for two processes of a deployment.
 */
describe('auth: revoking tokens', () => {
  let t: TestApp;
  let other: TestApp;
  let admin: string;

  beforeAll(async () => {
    [t, other] = await Promise.all([startTestApp(), startTestApp()]);
    admin = await loginAsAdmin(t.http);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), other?.close()]);
  });

  const me = (app: TestApp, token: string) => app.http.get('/api/v1/auth/me').set(...bearer(token));
  const login = (app: TestApp, email: string, password: string) =>
    app.http.post('/api/v1/auth/login').send({ email, password });

  it('a password change stops every earlier token in every process; a new sign-in works', async () => {
    const person = await aPerson(t.http, 'technician');
    const second = (await login(other, person.email, person.password).expect(200)).body.accessToken as string;
    await t.http
      .post('/api/v1/auth/password')
      .set(...bearer(person))
      .send({ currentPassword: person.password, newPassword: 'a-brand-new-password' })
      .expect(204);
    for (const app of [t, other]) {
      await me(app, person.token).expect(401);
      await me(app, second).expect(401);
    }
    await login(other, person.email, person.password).expect(401);
    const fresh = (await login(other, person.email, 'a-brand-new-password').expect(200)).body.accessToken;
    await me(t, fresh as string).expect(200);
  });

  it("POST /auth/logout stops the caller's token at once, everywhere (204)", async () => {
    const person = await aPerson(t.http, 'doctor');
    await me(other, person.token).expect(200);
    await t.http
      .post('/api/v1/auth/logout')
      .set(...bearer(person))
      .expect(204);
    await me(other, person.token).expect(401);
    await me(t, person.token).expect(401);
    await t.http
      .post('/api/v1/auth/logout')
      .set(...bearer(person))
      .expect(401);
    const audit = await t.sql.query(
      `SELECT 1 FROM audit_entries WHERE entity_id = $1 AND action = 'auth.logged_out'`,
      [person.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  describe('POST /users/:id/unlock', () => {
    let person: Person;
    beforeAll(async () => {
      person = await aPerson(t.http, 'qa');
      for (let attempt = 1; attempt <= 5; attempt++)
        await login(t, person.email, 'not-the-password').expect(401);
      await login(t, person.email, person.password).expect(429);
    });

    it('is for administrators only (403), with a reason (400)', async () => {
      await t.http
        .post(`/api/v1/users/${person.id}/unlock`)
        .set(...bearer(person))
        .send({ reason: 'myself' })
        .expect(403);
      await t.http
        .post(`/api/v1/users/${person.id}/unlock`)
        .set(...bearer(admin))
        .send({})
        .expect(400);
      await login(t, person.email, person.password).expect(429);
    });

    it('lifts the lock for every source, revokes earlier tokens, and is audited with the reason', async () => {
      const response = await t.http
        .post(`/api/v1/users/${person.id}/unlock`)
        .set(...bearer(admin))
        .send({ reason: 'Owner confirmed by phone' })
        .expect(200);
      expect(response.body).toMatchObject({ id: person.id });
      await me(other, person.token).expect(401);
      const fresh = (await login(other, person.email, person.password).expect(200)).body
        .accessToken as string;
      await me(t, fresh).expect(200);
      const audit = await t.sql.query(
        `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'user.unlocked'`,
        [person.id],
      );
      expect(audit.rows).toEqual([{ reason: 'Owner confirmed by phone' }]);
      // The failures before the unlock no longer count: one more typo does not lock again.
      await login(t, person.email, 'not-the-password').expect(401);
      await login(t, person.email, person.password).expect(200);
    });
  });

  it("the queue dashboard's remembered Basic credentials end with a password change, in every process", async () => {
    const owner = await aPerson(t.http, 'admin');
    for (const app of [t, other])
      expect(
        (await app.http.get('/admin/queues').set('Authorization', basic(owner.email, owner.password))).status,
      ).toBe(200);
    await t.http
      .post('/api/v1/auth/password')
      .set(...bearer(owner))
      .send({ currentPassword: owner.password, newPassword: 'a-brand-new-password' })
      .expect(204);
    for (const app of [t, other])
      expect(
        (await app.http.get('/admin/queues').set('Authorization', basic(owner.email, owner.password))).status,
      ).toBe(401);
  });
});
