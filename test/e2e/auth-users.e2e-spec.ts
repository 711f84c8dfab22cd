import { randomUUID } from 'node:crypto';
import { aClinic, aPerson, bearer, Clinic, Person } from '../support/people';
import { login, loginAsAdmin, startTestApp, TestApp, unique } from '../support/test-app';

describe('auth: clinics and users', () => {
  let t: TestApp;
  let admin: string;
  let technician: Person;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
    technician = await aPerson(t.http, 'technician');
  });
  afterAll(async () => {
    await t.close();
  });

  const newEmail = (): string => `user-${unique().toLowerCase()}@cpc.test`;
  const newCode = (): string => unique('K').slice(-16);
  const usersWithEmail = async (email: string): Promise<number> =>
    Number(
      (await t.sql.query('SELECT count(*) FROM users WHERE lower(email) = lower($1)', [email])).rows[0].count,
    );
  const auditOf = async (entityId: string) =>
    (
      await t.sql.query<{
        action: string;
        actor_id: string;
        before: unknown;
        after: unknown;
        canonical: string;
      }>(
        'SELECT action, actor_id, before, after, canonical FROM audit_entries WHERE entity_id = $1 ORDER BY seq',
        [entityId],
      )
    ).rows;
  const aUserBody = (overrides: Record<string, unknown> = {}) => ({
    email: newEmail(),
    name: 'Keiko Sato',
    role: 'technician',
    password: 'twelve-chars-or-more',
    ...overrides,
  });

  describe('POST /clinics', () => {
    it('creates a clinic (201) and audits it as clinic.created', async () => {
      const code = newCode();
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code, name: 'Osaka Knee Clinic' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        code,
        name: 'Osaka Knee Clinic',
        createdAt: expect.any(String),
      });
      const audit = await auditOf(response.body.id);
      expect(audit.map((entry) => entry.action)).toEqual(['clinic.created']);
      expect(audit[0].after).toMatchObject({ code, name: 'Osaka Knee Clinic' });
    });

    it('answers 409 DUPLICATE for a code that is taken', async () => {
      const clinic = await aClinic(t.http);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code: clinic.code, name: 'Again' })
        .expect(409);
      expect(response.body.code).toBe('DUPLICATE');
      const count = await t.sql.query('SELECT count(*)::int AS n FROM clinics WHERE code = $1', [
        clinic.code,
      ]);
      expect(count.rows[0].n).toBe(1);
    });

    it.each([['a'], ['lower-case'], ['WAY-TOO-LONG-CODE-X'], ['SPACE NO']])(
      'refuses the code %p (400 naming code)',
      async (code) => {
        const response = await t.http
          .post('/api/v1/clinics')
          .set(...bearer(admin))
          .send({ code, name: 'Bad code' })
          .expect(400);
        expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'code' })]);
      },
    );

    it('is for admins only: a technician gets 403 FORBIDDEN, even with an invalid body', async () => {
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(technician))
        .send({ code: 'x' })
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });
  });

  describe('GET /clinics', () => {
    it('lists clinics newest first, page by page', async () => {
      const first = await aClinic(t.http);
      const second = await aClinic(t.http);
      const third = await aClinic(t.http);
      const all = await t.http
        .get('/api/v1/clinics?limit=200')
        .set(...bearer(admin))
        .expect(200);
      const ids = (all.body.items as Clinic[]).map((clinic) => clinic.id);
      expect(ids.indexOf(third.id)).toBeLessThan(ids.indexOf(second.id));
      expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
        const page = await t.http
          .get(`/api/v1/clinics?${query}`)
          .set(...bearer(technician))
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as Clinic[]).map((clinic) => clinic.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor && !seen.includes(first.id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining([first.id, second.id, third.id]));
    });

    it('may be read by admin, qa and technician, not by a doctor (403)', async () => {
      const qa = await aPerson(t.http, 'qa');
      const doctor = await aPerson(t.http, 'doctor');
      await t.http
        .get('/api/v1/clinics')
        .set(...bearer(qa))
        .expect(200);
      const response = await t.http
        .get('/api/v1/clinics')
        .set(...bearer(doctor))
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('answers 400 for a forged cursor or a limit out of range', async () => {
      const forged = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');
      const cursor = await t.http
        .get(`/api/v1/clinics?cursor=${forged}`)
        .set(...bearer(admin))
        .expect(400);
      expect(cursor.body.details.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
      await t.http
        .get('/api/v1/clinics?limit=201')
        .set(...bearer(admin))
        .expect(400);
    });
  });

  describe('POST /users', () => {
    it('creates a user (201) and shows neither the password nor its hash', async () => {
      const body = aUserBody();
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email: body.email,
        name: body.name,
        role: 'technician',
        clinicId: null,
        active: true,
        lockedUntil: null,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon2/i);
      await login(t.http, body.email, body.password);
    });

    it('audits the creation as user.created by the admin, without the password or its hash', async () => {
      const body = aUserBody({ role: 'qa' });
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(201);
      const adminId = (await t.http.get('/api/v1/auth/me').set(...bearer(admin))).body.id as string;
      const audit = await auditOf(response.body.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'user.created', actor_id: adminId, before: null });
      expect(audit[0].after).toMatchObject({
        id: response.body.id,
        email: body.email,
        role: 'qa',
        active: true,
      });
      expect(audit[0].canonical).not.toContain(body.password);
      expect(audit[0].canonical).not.toMatch(/argon2|passwordHash/);
      const stored = await t.sql.query('SELECT password_hash FROM users WHERE id = $1', [response.body.id]);
      expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    });

    it('creates a doctor of a clinic', async () => {
      const clinic = await aClinic(t.http);
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(aUserBody({ role: 'doctor', clinicId: clinic.id }))
        .expect(201);
      expect(response.body).toMatchObject({ role: 'doctor', clinicId: clinic.id });
    });

    it('answers 409 DUPLICATE for an email that is taken, whatever its case, and stores nothing', async () => {
      const body = aUserBody();
      await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(201);
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send({ ...aUserBody(), email: body.email.toUpperCase() })
        .expect(409);
      expect(response.body.code).toBe('DUPLICATE');
      expect(await usersWithEmail(body.email)).toBe(1);
    });

    it('refuses a doctor without clinicId (400 naming clinicId) and writes nothing', async () => {
      const body = aUserBody({ role: 'doctor' });
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [expect.objectContaining({ field: 'clinicId' })] },
      });
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it('refuses a clinicId for CPC staff (400 naming clinicId): only doctors belong to a clinic', async () => {
      const clinic = await aClinic(t.http);
      const body = aUserBody({ role: 'qa', clinicId: clinic.id });
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field: 'clinicId' })]);
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it('answers 404 NOT_FOUND for a clinicId that names no clinic, and writes nothing', async () => {
      const body = aUserBody({ role: 'doctor', clinicId: randomUUID() });
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it('refuses unknown fields (no mass assignment: not even an id or active), naming them, and writes nothing', async () => {
      const body = aUserBody({ id: randomUUID(), passwordHash: 'x' });
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(400);
      const fields = (response.body.details.fields as { field: string }[]).map((f) => f.field).sort();
      expect(fields).toEqual(['id', 'passwordHash']);
      expect(await usersWithEmail(body.email)).toBe(0);
    });

    it.each([
      ['password', { password: 'eleven-char' }],
      ['email', { email: 'not-an-email' }],
      ['role', { role: 'superuser' }],
      ['name', { name: '   ' }],
    ])('refuses a bad %s (400 naming it)', async (field, overrides) => {
      const body = aUserBody(overrides);
      const response = await t.http
        .post('/api/v1/users')
        .set(...bearer(admin))
        .send(body)
        .expect(400);
      expect(response.body.details.fields).toEqual([expect.objectContaining({ field })]);
    });

    it.each(['qa', 'technician', 'doctor'] as const)(
      'is for admins only: a %s gets 403 FORBIDDEN, checked before validation and nothing is written',
      async (role) => {
        const caller = role === 'technician' ? technician : await aPerson(t.http, role);
        const email = newEmail();
        const response = await t.http
          .post('/api/v1/users')
          .set(...bearer(caller))
          .send({ email, role: 'admin', unknownField: true })
          .expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
        expect(await usersWithEmail(email)).toBe(0);
      },
    );
  });

  describe('GET /users', () => {
    it('lists users newest first, for admins only', async () => {
      const older = await aPerson(t.http, 'qa');
      const newer = await aPerson(t.http, 'technician');
      const response = await t.http
        .get('/api/v1/users?limit=200')
        .set(...bearer(admin))
        .expect(200);
      const ids = (response.body.items as { id: string }[]).map((user) => user.id);
      expect(ids.indexOf(newer.id)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
      expect(JSON.stringify(response.body)).not.toMatch(/password|argon2/i);
      await t.http
        .get('/api/v1/users')
        .set(...bearer(technician))
        .expect(403);
    });

    it('pages with a cursor', async () => {
      await aPerson(t.http, 'qa');
      const first = await t.http
        .get('/api/v1/users?limit=1')
        .set(...bearer(admin))
        .expect(200);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await t.http
        .get(`/api/v1/users?limit=1&cursor=${first.body.nextCursor}`)
        .set(...bearer(admin))
        .expect(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      expect(Date.parse(second.body.items[0].createdAt)).toBeLessThanOrEqual(
        Date.parse(first.body.items[0].createdAt),
      );
    });
  });

  describe('PATCH /users/:id', () => {
    it('renames a user (200) and audits before and after, without the hash', async () => {
      const person = await aPerson(t.http, 'technician');
      const response = await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ name: 'Renamed Person' })
        .expect(200);
      expect(response.body).toMatchObject({ id: person.id, name: 'Renamed Person', role: 'technician' });
      const audit = (await auditOf(person.id)).filter((entry) => entry.action === 'user.updated');
      expect(audit).toHaveLength(1);
      expect(audit[0].before).toMatchObject({ name: person.name });
      expect(audit[0].after).toMatchObject({ name: 'Renamed Person' });
      expect(audit[0].canonical).not.toMatch(/argon2|passwordHash/);
    });

    it('keeps the doctor/clinic rule: a doctor made qa must lose the clinic (400 naming clinicId, nothing changed)', async () => {
      const doctor = await aPerson(t.http, 'doctor');
      const refused = await t.http
        .patch(`/api/v1/users/${doctor.id}`)
        .set(...bearer(admin))
        .send({ role: 'qa' })
        .expect(400);
      expect(refused.body.details.fields).toEqual([expect.objectContaining({ field: 'clinicId' })]);
      const unchanged = await t.sql.query('SELECT role, clinic_id FROM users WHERE id = $1', [doctor.id]);
      expect(unchanged.rows[0]).toEqual({ role: 'doctor', clinic_id: doctor.clinicId });

      const moved = await t.http
        .patch(`/api/v1/users/${doctor.id}`)
        .set(...bearer(admin))
        .send({ role: 'qa', clinicId: null })
        .expect(200);
      expect(moved.body).toMatchObject({ role: 'qa', clinicId: null });
    });

    it('keeps the doctor/clinic rule: a technician made doctor needs a clinic that exists', async () => {
      const person = await aPerson(t.http, 'technician');
      const noClinic = await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ role: 'doctor' })
        .expect(400);
      expect(noClinic.body.details.fields).toEqual([expect.objectContaining({ field: 'clinicId' })]);
      await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ role: 'doctor', clinicId: randomUUID() })
        .expect(404);
      const clinic = await aClinic(t.http);
      const response = await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ role: 'doctor', clinicId: clinic.id })
        .expect(200);
      expect(response.body).toMatchObject({ role: 'doctor', clinicId: clinic.id });
      // The token still works and the guard now sees a doctor.
      const me = await t.http
        .get('/api/v1/auth/me')
        .set(...bearer(person))
        .expect(200);
      expect(me.body.role).toBe('doctor');
    });

    it('moves a doctor to another clinic', async () => {
      const doctor = await aPerson(t.http, 'doctor');
      const clinic = await aClinic(t.http);
      const response = await t.http
        .patch(`/api/v1/users/${doctor.id}`)
        .set(...bearer(admin))
        .send({ clinicId: clinic.id })
        .expect(200);
      expect(response.body.clinicId).toBe(clinic.id);
    });

    it('writes nothing for a patch that changes nothing', async () => {
      const person = await aPerson(t.http, 'qa');
      await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ name: person.name, active: true })
        .expect(200);
      expect((await auditOf(person.id)).filter((entry) => entry.action === 'user.updated')).toEqual([]);
    });

    it('answers 404 for an unknown user and 400 for an id that is not a UUID', async () => {
      const missing = await t.http
        .patch(`/api/v1/users/${randomUUID()}`)
        .set(...bearer(admin))
        .send({ name: 'X' })
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const malformed = await t.http
        .patch('/api/v1/users/42')
        .set(...bearer(admin))
        .send({ name: 'X' })
        .expect(400);
      expect(malformed.body.details.fields).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('refuses fields an admin may not patch (email, password) and nulls for required ones', async () => {
      const person = await aPerson(t.http, 'qa');
      const email = await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ email: newEmail() })
        .expect(400);
      expect(email.body.details.fields).toEqual([expect.objectContaining({ field: 'email' })]);
      const nullName = await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ name: null })
        .expect(400);
      expect(nullName.body.details.fields).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('is for admins only (403 before the user is looked up)', async () => {
      const response = await t.http
        .patch(`/api/v1/users/${randomUUID()}`)
        .set(...bearer(technician))
        .send({ active: false })
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('never deletes: a deactivated user stays in the list, marked inactive', async () => {
      const person = await aPerson(t.http, 'technician');
      await t.http
        .patch(`/api/v1/users/${person.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(200);
      const stored = await t.sql.query('SELECT active FROM users WHERE id = $1', [person.id]);
      expect(stored.rows).toEqual([{ active: false }]);
    });
  });
});
