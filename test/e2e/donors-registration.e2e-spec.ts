import { randomUUID } from 'node:crypto';
import { aDonor, aScreenedDonor } from '../support/donor-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp, unique } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

function newDonorBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalRef: unique('K-'),
    birthYear: 1968,
    sex: 'F',
    consent: { treatment: true, banking: true, signedAt: ago(HOUR) },
    ...overrides,
  };
}

describe('donors: registration, views and clinic scope', () => {
  let t: TestApp;
  let cast: Cast;
  let otherDoctor: Person;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    otherDoctor = await aPerson(t.http, 'doctor');
  });
  afterAll(async () => {
    await t.close();
  });

  async function donorCount(): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM donors');
    return rows[0].n;
  }

  it("registers a donor of the doctor's own clinic with a generated code free of personal data", async () => {
    const externalRef = unique('K-');
    const response = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.doctor))
      .send(newDonorBody({ externalRef }))
      .expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      code: expect.stringMatching(/^D-[0-9A-HJKMNP-TV-Z]{8}$/),
      clinicId: cast.clinic.id,
      externalRef,
      birthYear: 1968,
      sex: 'F',
      screeningStatus: 'PENDING',
      screenings: [],
      consent: { treatment: true, banking: true, bankingExpiresAt: null, recordedBy: cast.doctor.id },
    });
    expect(response.body.consents).toHaveLength(1);
    expect(response.body.code).not.toContain(externalRef);
    const audit = await t.sql.query(
      `SELECT action, actor_id FROM audit_entries WHERE entity_type = 'donor' AND entity_id = $1`,
      [response.body.id],
    );
    expect(audit.rows).toEqual([{ action: 'donor.registered', actor_id: cast.doctor.id }]);
  });

  it('gives every donor a different code', async () => {
    const donors = await Promise.all(Array.from({ length: 8 }, () => aDonor(t.http, cast.doctor)));
    expect(new Set(donors.map((d) => d.code)).size).toBe(8);
  });

  it("accepts a doctor naming their own clinic, and answers 404 when a doctor names another clinic's id", async () => {
    await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.doctor))
      .send(newDonorBody({ clinicId: cast.clinic.id }))
      .expect(201);
    const before = await donorCount();
    const response = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.doctor))
      .send(newDonorBody({ clinicId: otherDoctor.clinicId }))
      .expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
    expect(await donorCount()).toBe(before);
  });

  it('lets an admin register a donor for a named clinic', async () => {
    const clinic = await aClinic(t.http);
    const response = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.admin))
      .send(newDonorBody({ clinicId: clinic.id }))
      .expect(201);
    expect(response.body.clinicId).toBe(clinic.id);
  });

  it('refuses an admin who names no clinic (400 naming clinicId) and an unknown clinic (404)', async () => {
    const before = await donorCount();
    const missing = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.admin))
      .send(newDonorBody())
      .expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['clinicId']);
    const unknown = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.admin))
      .send(newDonorBody({ clinicId: randomUUID() }))
      .expect(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect(await donorCount()).toBe(before);
  });

  it('refuses technicians and qa (403) before looking at the body', async () => {
    for (const who of [cast.technician, cast.qa]) {
      const response = await t.http
        .post('/api/v1/donors')
        .set(...bearer(who))
        .send({ nonsense: true })
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });

  it('requires a token (401)', async () => {
    const response = await t.http.post('/api/v1/donors').send(newDonorBody()).expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['an unknown property (mass assignment)', { code: 'D-AAAAAAAA' }, 'code'],
    ['a sex outside F/M/X', { sex: 'female' }, 'sex'],
    ['a birth year before 1900', { birthYear: 1899 }, 'birthYear'],
    ['a birth year after this year', { birthYear: new Date().getUTCFullYear() + 2 }, 'birthYear'],
    ['a birth year as a string', { birthYear: '1968' }, 'birthYear'],
    ['a missing consent', { consent: undefined }, 'consent'],
    [
      'a consent signed in the future',
      {
        consent: { treatment: true, banking: true, signedAt: new Date(Date.now() + 2 * HOUR).toISOString() },
      },
      'consent.signedAt',
    ],
    [
      'a consent time without a zone',
      { consent: { treatment: true, banking: true, signedAt: '2026-01-01T10:00:00' } },
      'consent.signedAt',
    ],
    [
      'a consent with an unknown property',
      { consent: { treatment: true, banking: true, signedAt: ago(HOUR), extra: 1 } },
      'consent.extra',
    ],
    [
      'a non-boolean treatment consent',
      { consent: { treatment: 'yes', banking: true, signedAt: ago(HOUR) } },
      'consent.treatment',
    ],
    [
      'a banking expiry without banking consent',
      {
        consent: {
          treatment: true,
          banking: false,
          signedAt: ago(HOUR),
          bankingExpiresAt: '2035-01-01T00:00:00Z',
        },
      },
      'consent.bankingExpiresAt',
    ],
    [
      'a banking expiry before the signature',
      { consent: { treatment: true, banking: true, signedAt: ago(HOUR), bankingExpiresAt: ago(2 * HOUR) } },
      'consent.bankingExpiresAt',
    ],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_case, overrides, field) => {
    const before = await donorCount();
    const response = await t.http
      .post('/api/v1/donors')
      .set(...bearer(cast.doctor))
      .send(newDonorBody(overrides))
      .expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await donorCount()).toBe(before);
  });

  it('shows a donor with its screening status, screenings and consents to every role', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    for (const who of [cast.doctor, cast.technician, cast.qa, cast.admin]) {
      const response = await t.http
        .get(`/api/v1/donors/${donor.id}`)
        .set(...bearer(who))
        .expect(200);
      expect(response.body).toMatchObject({ id: donor.id, code: donor.code, screeningStatus: 'NEGATIVE' });
      expect(response.body.screenings).toHaveLength(5);
      expect(response.body.screeningMarkers).toEqual({
        HBV: 'NEGATIVE',
        HCV: 'NEGATIVE',
        HIV: 'NEGATIVE',
        HTLV1: 'NEGATIVE',
        SYPHILIS: 'NEGATIVE',
      });
      expect(response.body.consent).toEqual(response.body.consents[0]);
    }
  });

  it("hides another clinic's donor from a doctor (404), on the view and in lists", async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(otherDoctor))
      .expect(404);
    expect(view.body.code).toBe('NOT_FOUND');
    const list = await t.http
      .get('/api/v1/donors')
      .query({ code: donor.code })
      .set(...bearer(otherDoctor))
      .expect(200);
    expect(list.body.items).toEqual([]);
    const byClinic = await t.http
      .get('/api/v1/donors')
      .query({ clinicId: cast.clinic.id })
      .set(...bearer(otherDoctor))
      .expect(200);
    expect(byClinic.body.items).toEqual([]);
  });

  it('answers 404 for a donor that does not exist and 400 for an id that is not a UUID', async () => {
    await t.http
      .get(`/api/v1/donors/${randomUUID()}`)
      .set(...bearer(cast.qa))
      .expect(404);
    const response = await t.http
      .get('/api/v1/donors/not-a-uuid')
      .set(...bearer(cast.qa))
      .expect(400);
    expect(response.body.details.fields[0].field).toBe('id');
  });

  it("lists only the doctor's own clinic, newest first, page by page", async () => {
    const doctor = await aPerson(t.http, 'doctor');
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await aDonor(t.http, doctor));
    await aDonor(t.http, cast.doctor);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        body: {
          items: { id: string; clinicId: string; screeningStatus: string }[];
          nextCursor: string | null;
        };
      } = await t.http
        .get('/api/v1/donors')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(...bearer(doctor))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) {
        expect(item.clinicId).toBe(doctor.clinicId);
        expect(item.screeningStatus).toBe('PENDING');
      }
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(created.map((d) => d.id).reverse());
  });

  it('filters the list by clinic and by code for CPC staff', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const byCode = await t.http
      .get('/api/v1/donors')
      .query({ code: donor.code.toLowerCase() })
      .set(...bearer(cast.technician))
      .expect(200);
    expect(byCode.body.items.map((d: { id: string }) => d.id)).toEqual([donor.id]);
    expect(byCode.body.items[0].screeningStatus).toBe('NEGATIVE');
    expect(byCode.body.items[0].screenings).toHaveLength(5);
    const byClinic = await t.http
      .get('/api/v1/donors')
      .query({ clinicId: cast.clinic.id, limit: 200 })
      .set(...bearer(cast.admin))
      .expect(200);
    expect(byClinic.body.items.every((d: { clinicId: string }) => d.clinicId === cast.clinic.id)).toBe(true);
  });

  it('refuses bad list queries with 400', async () => {
    for (const query of [
      { limit: 0 },
      { limit: 201 },
      { clinicId: 'x' },
      { cursor: 'garbage' },
      { other: 1 },
    ]) {
      const response = await t.http
        .get('/api/v1/donors')
        .query(query)
        .set(...bearer(cast.qa));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
