import { randomUUID } from 'node:crypto';
import { aPerson, bearer, Person } from '../support/people';
import { loginAsAdmin, startTestApp, TestApp, unique } from '../support/test-app';

/** Hostile bodies: whatever their shape, the answer is a 4xx with the contract body and nothing is stored. */
describe('Hostile input', () => {
  let t: TestApp;
  let admin: string;
  let technician: Person;
  let doctor: Person;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
    [technician, doctor] = await Promise.all([aPerson(t.http, 'technician'), aPerson(t.http, 'doctor')]);
  });
  afterAll(async () => {
    await t.close();
  });

  const nested = (depth: number, open = '[', close = ']', inner = '1'): string =>
    open.repeat(depth) + inner + close.repeat(depth);

  describe('deeply nested JSON', () => {
    it.each([
      ['arrays', nested(5000)],
      ['objects', nested(5000, '{"a":', '}')],
      ['under a known field', `{"email":${nested(3000)},"password":"x"}`],
    ])('is refused at the parser on anonymous /auth/login (%s)', async (_name, body) => {
      const response = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });

    it('is refused on an authenticated write and stores nothing', async () => {
      const code = unique('N').slice(0, 16);
      const response = await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .set('content-type', 'application/json; charset=utf-8')
        .send(`{"code":"${code}","name":"Deep","x":${nested(2000, '{"a":', '}')}}`)
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      const rows = await t.sql.query('SELECT 1 FROM clinics WHERE code = $1', [code]);
      expect(rows.rowCount).toBe(0);
    });

    it('counts brackets inside strings as text, not depth', async () => {
      const code = unique('S').slice(0, 16);
      await t.http
        .post('/api/v1/clinics')
        .set(...bearer(admin))
        .send({ code, name: `Brackets ${'[{'.repeat(90)}` })
        .expect(201);
    });

    it('still refuses prototype poisoning', async () => {
      const response = await t.http
        .post('/api/v1/auth/login')
        .set('content-type', 'application/json')
        .send('{"email":"a@b.c","password":"x","__proto__":{"admin":true}}')
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('decimals in exponent notation', () => {
    // Validation runs before any look-up, so an unknown id is enough to reach the field checks.
    const id = randomUUID();
    it.each([
      ['vials/:id/thaw', `/api/v1/vials/${id}/thaw`, 'postThawViabilityPct'],
      ['boosters/:id/doses', `/api/v1/boosters/${id}/doses`, 'volumeMl'],
      ['batches/:id/cryopreserve', `/api/v1/batches/${id}/cryopreserve`, 'dmsoPct'],
      ['batches/:id/isolation (grams)', `/api/v1/batches/${id}/isolation`, 'tissueWeightG'],
      ['batches/:id/isolation (viability)', `/api/v1/batches/${id}/isolation`, 'viabilityPct'],
      ['batches/:id/passages', `/api/v1/batches/${id}/passages`, 'confluencePct'],
      ['batches/:id/cell-counts', `/api/v1/batches/${id}/cell-counts`, 'viabilityPct'],
      ['batches/:id/final-harvest', `/api/v1/batches/${id}/final-harvest`, 'viabilityPct'],
      ['harvests/:id/receipt', `/api/v1/harvests/${id}/receipt`, 'temperatureC'],
    ])('%s: 1e-7 in %s is 400 naming the field', async (_route, path, field) => {
      for (const value of [1e-7, 5e-324, 1.5e-10]) {
        const response = await t.http
          .post(path)
          .set(...bearer(technician))
          .send({ [field]: value });
        expect(response.status).toBe(400);
        const fields = (response.body.details.fields as { field: string }[]).map((f) => f.field);
        expect(fields).toContain(field);
      }
    });
  });

  describe('nested objects', () => {
    const donorCount = async (): Promise<number> =>
      Number((await t.sql.query('SELECT count(*) FROM donors')).rows[0].count);

    it.each([[[]], [[{ treatment: true, banking: true, signedAt: '2026-01-01T00:00:00Z' }]], ['yes'], [7]])(
      'consent %j is 400 naming consent and registers no donor',
      async (consent) => {
        const before = await donorCount();
        const response = await t.http
          .post('/api/v1/donors')
          .set(...bearer(doctor))
          .send({ birthYear: 1970, sex: 'F', consent });
        expect(response.status).toBe(400);
        const fields = (response.body.details.fields as { field: string }[]).map((f) => f.field);
        expect(fields).toContain('consent');
        expect(await donorCount()).toBe(before);
      },
    );

    it.each([[[[]]], [[7]], [['x']], [[null]]])(
      'cryopreserve vials %j is 400 naming vials',
      async (vials) => {
        const response = await t.http
          .post(`/api/v1/batches/${randomUUID()}/cryopreserve`)
          .set(...bearer(technician))
          .send({ frozenAt: '2026-01-01T00:00:00Z', medium: 'CS10', vials });
        expect(response.status).toBe(400);
        const fields = (response.body.details.fields as { field: string }[]).map((f) => f.field);
        expect(fields.some((f) => f.startsWith('vials'))).toBe(true);
      },
    );
  });
});
