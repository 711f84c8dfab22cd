import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { aClinic, aPerson, bearer, Person } from '../support/people';
import { login, loginAsAdmin, startTestApp, TestApp } from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

describe('auth: login, tokens and password change', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const failures = async (userId: string): Promise<{ kind: string }[]> =>
    (
      await t.sql.query<{ kind: string }>('SELECT kind FROM auth_failures WHERE user_id = $1 ORDER BY id', [
        userId,
      ])
    ).rows;

  describe('POST /auth/login', () => {
    it('returns a bearer token and the user, without any password or hash', async () => {
      const response = await t.http.post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        expiresIn: 8 * 3600,
        user: expect.objectContaining({
          id: expect.any(String),
          email: TEST_ADMIN.email,
          role: 'admin',
          clinicId: null,
        }),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon2/i);
      await me(response.body.accessToken).expect(200);
    });

    it('signs in a doctor and shows their clinic', async () => {
      const clinic = await aClinic(t.http);
      const doctor = await aPerson(t.http, 'doctor', clinic);
      const response = await t.http
        .post('/api/v1/auth/login')
        .send({ email: doctor.email, password: doctor.password })
        .expect(200);
      expect(response.body.user).toMatchObject({
        id: doctor.id,
        role: 'doctor',
        clinicId: clinic.id,
        name: doctor.name,
      });
    });

    it('matches the email case-insensitively', async () => {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: TEST_ADMIN.email.toUpperCase(), password: TEST_ADMIN.password })
        .expect(200);
    });

    it('answers 401 UNAUTHENTICATED, with one message, for an unknown email, a wrong password and a deactivated user', async () => {
      const person = await aPerson(t.http, 'technician');
      const unknown = await t.http
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@cpc.test', password: 'whatever-password' })
        .expect(401);
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .send({ email: person.email, password: 'not-the-password' })
        .expect(401);
      await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(200);
      const deactivated = await t.http
        .post('/api/v1/auth/login')
        .send({ email: person.email, password: person.password })
        .expect(401);
      for (const response of [unknown, wrong, deactivated]) {
        expect(response.body).toEqual({
          statusCode: 401,
          code: 'UNAUTHENTICATED',
          message: wrong.body.message,
          details: {},
        });
      }
    });

    it('counts a wrong password as a failed LOGIN of that account, in the database', async () => {
      const person = await aPerson(t.http, 'qa');
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: person.email, password: 'not-the-password' })
        .expect(401);
      expect(await failures(person.id)).toEqual([{ kind: 'LOGIN' }]);
      const audit = await t.sql.query(
        'SELECT action, actor_role FROM audit_entries WHERE entity_id = $1 AND action LIKE $2',
        [person.id, 'auth.%'],
      );
      expect(audit.rows).toEqual([{ action: 'auth.login_failed', actor_role: 'system' }]);
    });

    it('answers 400 VALIDATION_FAILED for a missing password or unknown fields', async () => {
      const missing = await t.http.post('/api/v1/auth/login').send({ email: TEST_ADMIN.email }).expect(400);
      expect(missing.body.details.fields).toEqual([expect.objectContaining({ field: 'password' })]);
      const extra = await t.http
        .post('/api/v1/auth/login')
        .send({ ...TEST_ADMIN, role: 'admin' })
        .expect(400);
      expect(extra.body.details.fields).toEqual([expect.objectContaining({ field: 'role' })]);
    });

    it('ignores an Idempotency-Key: every login issues its own token', async () => {
      const first = await t.http
        .post('/api/v1/auth/login')
        .set('Idempotency-Key', 'login-key')
        .send(TEST_ADMIN)
        .expect(200);
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .set('Idempotency-Key', 'login-key')
        .send({ ...TEST_ADMIN, password: 'not-the-password' })
        .expect(401);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(wrong.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('GET /auth/me', () => {
    it.each(['admin', 'qa', 'technician', 'doctor'] as const)('shows a %s their own user', async (role) => {
      const person = await aPerson(t.http, role);
      const response = await me(person.token).expect(200);
      expect(response.body).toEqual({
        id: person.id,
        email: person.email,
        name: person.name,
        role,
        clinicId: person.clinicId,
        active: true,
        lockedUntil: null,
        createdAt: expect.any(String),
      });
    });

    it('answers 401 without a token', async () => {
      const response = await t.http.get('/api/v1/auth/me').expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('tokens', () => {
    let person: Person;
    beforeAll(async () => {
      person = await aPerson(t.http, 'technician');
    });

    it('refuses the token of a deactivated user at once (401), and takes it again after reactivation', async () => {
      const doctor = await aPerson(t.http, 'doctor');
      await me(doctor.token).expect(200);
      await t.http
        .patch(`/api/v1/users/${doctor.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(200);
      const refused = await me(doctor.token).expect(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      await t.http
        .patch(`/api/v1/users/${doctor.id}`)
        .set(...bearer(admin))
        .send({ active: true })
        .expect(200);
      await me(doctor.token).expect(200);
    });

    it('refuses an expired token (401)', async () => {
      const jwt = t.app.get(JwtService);
      const issuedAt = Math.floor(Date.now() / 1000) - 3600;
      const expired = jwt.sign({ sub: person.id, iat: issuedAt }, { expiresIn: 60 });
      const response = await me(expired).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token whose payload was changed to another user (401)', async () => {
      const [header, , signature] = person.token.split('.');
      const adminId = (await me(admin).expect(200)).body.id as string;
      const forgedPayload = Buffer.from(
        JSON.stringify({ sub: adminId, iat: Math.floor(Date.now() / 1000) }),
      ).toString('base64url');
      const response = await me(`${header}.${forgedPayload}.${signature}`).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token signed with another secret, or with no signature at all (401)', async () => {
      const jwt = t.app.get(JwtService);
      const foreign = jwt.sign({ sub: person.id }, { secret: randomBytes(32).toString('hex') });
      await me(foreign).expect(401);
      const unsigned = [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: person.id, iat: Math.floor(Date.now() / 1000) })).toString(
          'base64url',
        ),
        '',
      ].join('.');
      await me(unsigned).expect(401);
    });

    it('refuses a well-signed token for a user that does not exist (401)', async () => {
      const token = t.app.get(JwtService).sign({ sub: '00000000-0000-4000-8000-000000000000' });
      await me(token).expect(401);
    });
  });

  describe('POST /auth/password', () => {
    it('changes the password (204): the old one no longer signs in, the new one does, and the trail says so', async () => {
      const person = await aPerson(t.http, 'technician');
      const newPassword = 'a-brand-new-password';
      await t.http
        .post('/api/v1/auth/password')
        .set(...bearer(person))
        .send({ currentPassword: person.password, newPassword })
        .expect(204);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: person.email, password: person.password })
        .expect(401);
      await login(t.http, person.email, newPassword);
      const audit = await t.sql.query(
        'SELECT canonical FROM audit_entries WHERE entity_id = $1 AND action = $2',
        [person.id, 'user.password_changed'],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].canonical).not.toMatch(/argon2|password-/i);
    });

    it('answers 422 SIGNATURE_INVALID for a wrong current password, counts it as a failed signature, and keeps the password', async () => {
      const person = await aPerson(t.http, 'qa');
      const response = await t.http
        .post('/api/v1/auth/password')
        .set(...bearer(person))
        .send({ currentPassword: 'not-the-password', newPassword: 'a-brand-new-password' })
        .expect(422);
      expect(response.body.code).toBe('SIGNATURE_INVALID');
      expect(await failures(person.id)).toEqual([{ kind: 'SIGNATURE' }]);
      await login(t.http, person.email, person.password);
    });

    it('answers 400 VALIDATION_FAILED for a new password under 12 characters, before checking the current one', async () => {
      const person = await aPerson(t.http, 'doctor');
      const response = await t.http
        .post('/api/v1/auth/password')
        .set(...bearer(person))
        .send({ currentPassword: 'not-the-password', newPassword: 'short-pw' })
        .expect(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'newPassword' })]);
      expect(await failures(person.id)).toEqual([]);
    });

    it('answers 400 when the new password equals the current one', async () => {
      const person = await aPerson(t.http, 'technician');
      const response = await t.http
        .post('/api/v1/auth/password')
        .set(...bearer(person))
        .send({ currentPassword: person.password, newPassword: person.password })
        .expect(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    });
  });
});
