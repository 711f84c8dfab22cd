import { bearer } from '../support/people';
import { loginAsAdmin, startTestApp, TestApp, unique } from '../support/test-app';

/** Hostile bodies: whatever their shape, the answer is a 4xx with the contract body and nothing is stored. */
describe('Hostile input', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
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
});
