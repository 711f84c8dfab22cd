import { aBooster, aBox, frozenVials, positionsIn } from '../support/bank-fixtures';
import { aBatch, aCultureCompleteBatch } from '../support/batch-fixtures';
import { aCollectedHarvest } from '../support/donor-fixtures';
import { bearer, Cast } from '../support/people';
import { pdfPages } from '../support/pdf-text';
import { aJapaneseClinicCast, JAPANESE_CLINIC } from '../support/record-fixtures';
import { aDose, aQcResult, aReleasedBatch, passingQc } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { anAdministeredDose, anAdverseEvent, daysAgo } from '../support/vigilance-fixtures';

/** Text with every run of white space as one space: pdf-parse separates table cells by tabs or new lines. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

/** The dotted `metric value` pairs of a nested object of counts, as the CSV and the PDF name them. */
function dotted(value: object, prefix = ''): [string, number][] {
  return Object.entries(value).flatMap<[string, number]>(([key, inner]) =>
    typeof inner === 'number' ? [[`${prefix}${key}`, inner]] : dotted(inner as object, `${prefix}${key}.`),
  );
}

/**
 * The periodic report (docs/vigilance.md): every count checked against records this file made in a clinic
 * of its own (with a Japanese name, which the PDF must print), over a period that holds them, and a period
 * before them that holds none; as JSON, CSV and PDF.
 */
describe('vigilance: the periodic report', () => {
  let t: TestApp;
  let cast: Cast;
  const from = daysAgo(2);
  const to = new Date(Date.now() + 3600_000).toISOString();

  const expected = {
    harvests: { received: 4, rejected: 1 },
    batches: { started: 4, released: 2, rejected: 1, discarded: 1 },
    doses: { administered: 2, recalled: 1 },
    patientsTreated: 2,
    boosters: 1,
    adverseEvents: {
      bySeriousness: {
        DEATH: 1,
        LIFE_THREATENING: 0,
        HOSPITALIZATION: 2,
        DISABILITY: 0,
        CONGENITAL_ANOMALY: 0,
        OTHER_SERIOUS: 0,
        NON_SERIOUS: 1,
      },
      byCausality: { RELATED: 0, POSSIBLY_RELATED: 0, UNLIKELY: 1, UNRELATED: 1 },
    },
    deviations: { MINOR: 2, MAJOR: 1, CRITICAL: 0 },
    postReleaseQcFailures: 1,
  };

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aJapaneseClinicCast(t.http);
    const post = (
      path: string,
      who: { token: string } | string,
      body: Record<string, unknown>,
      status: number,
    ) =>
      t.http
        .post(`/api/v1/${path}`)
        .set(...bearer(who))
        .send(body)
        .expect(status);

    // A: released; one dose given, one recalled by a positive sterility result after release.
    const a = await aReleasedBatch(t.http, cast);
    const givenA = await anAdministeredDose(t.http, cast, a);
    await aDose(t.http, cast, a.id, { cells: 1_000_000 });
    await aQcResult(t.http, a.id, cast.technician.token, {
      test: 'STERILITY',
      result: 'POSITIVE',
      testedAt: new Date().toISOString(),
    });
    // B: released; one dose given, two vials banked, one reserved for a booster.
    const b = await aReleasedBatch(t.http, cast);
    const givenB = await anAdministeredDose(t.http, cast, b);
    const { box } = await aBox(t.http, cast.admin);
    const vials = await frozenVials(t.http, cast.technician, b.id, positionsIn(box, 2));
    await aBooster(t.http, cast.doctor, b.donorId, [vials[0].id]);
    // C: rejected by QA.
    const c = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, c.id, cast.technician.token);
    await post(
      `batches/${c.id}/release`,
      cast.qa,
      { decision: 'REJECT', password: cast.qa.password, meaning: 'Rejected', reason: 'Morphology atypical' },
      200,
    );
    // D: three deviations, then discarded.
    const d = await aBatch(t.http, cast);
    for (const severity of ['MINOR', 'MINOR', 'MAJOR']) {
      await post(
        `batches/${d.id}/deviations`,
        cast.technician,
        { description: `A ${severity} deviation`, severity, occurredAt: new Date().toISOString() },
        201,
      );
    }
    await post(`batches/${d.id}/discard`, cast.qa, { reason: 'Contaminated flask' }, 200);
    // A harvest rejected at receipt: the container arrived broken.
    const broken = await aCollectedHarvest(t.http, cast.doctor);
    await post(
      `harvests/${broken.id}/receipt`,
      cast.technician,
      { receivedAt: new Date().toISOString(), temperatureC: 4, intact: false },
      200,
    );
    // Adverse events: a death (open), two hospitalizations (one reported and closed UNRELATED), and a
    // non-serious event closed UNLIKELY.
    await anAdverseEvent(t.http, cast.doctor, {
      donorId: a.donorId,
      doseId: givenA.id,
      seriousness: 'DEATH',
    });
    await anAdverseEvent(t.http, cast.doctor, { donorId: b.donorId, seriousness: 'HOSPITALIZATION' });
    const closed = await anAdverseEvent(t.http, cast.doctor, {
      donorId: b.donorId,
      doseId: givenB.id,
      seriousness: 'HOSPITALIZATION',
    });
    await post(
      `adverse-events/${closed.id}/report`,
      cast.qa,
      { reportedAt: new Date().toISOString(), reference: 'MHLW-P-1', password: cast.qa.password },
      200,
    );
    const sign = { conclusion: 'Reviewed', password: cast.qa.password };
    await post(`adverse-events/${closed.id}/close`, cast.qa, { causality: 'UNRELATED', ...sign }, 200);
    const mild = await anAdverseEvent(t.http, cast.doctor, {
      donorId: b.donorId,
      seriousness: 'NON_SERIOUS',
    });
    await post(`adverse-events/${mild.id}/close`, cast.qa, { causality: 'UNLIKELY', ...sign }, 200);
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  const periodic = (query: Record<string, string>, who: { token: string } | string = cast.qa) =>
    t.http
      .get('/api/v1/reports/periodic')
      .query(query)
      .set(...bearer(who));

  it("counts every record of the clinic's period", async () => {
    const response = await periodic({ from, to, clinicId: cast.clinic.id }).expect(200);
    expect(response.body).toEqual({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      clinicId: cast.clinic.id,
      ...expected,
    });
  });

  it('counts nothing in a period before the records', async () => {
    const response = await periodic({ from: daysAgo(30), to: daysAgo(20), clinicId: cast.clinic.id }).expect(
      200,
    );
    expect(response.body.harvests).toEqual({ received: 0, rejected: 0 });
    expect(response.body.batches).toEqual({ started: 0, released: 0, rejected: 0, discarded: 0 });
    expect(response.body.patientsTreated).toBe(0);
    expect(Object.values(response.body.adverseEvents.bySeriousness)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives the whole facility at least the clinic’s counts, for an admin too', async () => {
    const response = await periodic({ from, to }, cast.admin).expect(200);
    expect(response.body.clinicId).toBeNull();
    expect(response.body.batches.started).toBeGreaterThanOrEqual(expected.batches.started);
    expect(response.body.doses.administered).toBeGreaterThanOrEqual(expected.doses.administered);
  });

  it('answers the same figures as CSV for Accept: text/csv', async () => {
    const response = await periodic({ from, to, clinicId: cast.clinic.id })
      .set('Accept', 'text/csv')
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = new Map(
      response.text
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',') as [string, string]),
    );
    expect(response.text.startsWith('metric,value\r\n')).toBe(true);
    expect(rows.get('clinicId')).toBe(cast.clinic.id);
    expect(rows.get('harvests.received')).toBe('4');
    expect(rows.get('batches.discarded')).toBe('1');
    expect(rows.get('adverseEvents.bySeriousness.HOSPITALIZATION')).toBe('2');
    expect(rows.get('adverseEvents.byCausality.UNRELATED')).toBe('1');
    expect(rows.get('deviations.MINOR')).toBe('2');
    expect(rows.get('postReleaseQcFailures')).toBe('1');
    expect(rows.size).toBe(3 + 2 + 4 + 2 + 2 + 7 + 4 + 3 + 1);
  });

  const pdf = (query: Record<string, string>, who: { token: string } | string = cast.qa) =>
    t.http
      .get('/api/v1/reports/periodic.pdf')
      .query(query)
      .set(...bearer(who))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('prints the same counts as a PDF, with the clinic and the period on every page', async () => {
    const response = await pdf({ from, to, clinicId: cast.clinic.id }).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    const body = response.body as Buffer;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfPages(body);
    pages.forEach((text, i) => {
      expect(text).toContain(JAPANESE_CLINIC);
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(flat(text)).toMatch(/documentHash \(SHA-256\) [0-9a-f]{64}/);
    });
    const text = flat(pages.join('\n'));
    const counts = dotted(expected);
    expect(counts).toHaveLength(3 + 2 + 4 + 2 + 2 + 7 + 4 + 3 + 1 - 3);
    const printed = (metric: string): number | undefined => {
      const found = new RegExp(`(?:^| )${metric.replace(/\./g, '\\.')} (\\d+)(?: |$)`).exec(text);
      return found ? Number(found[1]) : undefined;
    };
    expect(Object.fromEntries(counts.map(([metric]) => [metric, printed(metric)]))).toEqual(
      Object.fromEntries(counts),
    );
    // The same period and records print the same bytes.
    const again = await pdf({ from, to, clinicId: cast.clinic.id }).expect(200);
    expect(Buffer.compare(again.body as Buffer, body)).toBe(0);
  });

  it('prints the facility as "All clinics", and refuses what the JSON refuses', async () => {
    const pages = await pdfPages((await pdf({ from, to }, cast.admin).expect(200)).body as Buffer);
    expect(pages.join('\n')).toContain('All clinics');
    const backwards = await pdf({ from: to, to: from }).expect(400);
    expect(JSON.parse((backwards.body as Buffer).toString('utf8')).code).toBe('VALIDATION_FAILED');
    const unknown = await pdf({ from, to, clinicId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    expect(JSON.parse((unknown.body as Buffer).toString('utf8')).code).toBe('NOT_FOUND');
    expect((await pdf({ from, to, clinicId: cast.clinic.id }, cast.doctor)).status).toBe(403);
    expect((await pdf({ from, to }, cast.technician)).status).toBe(403);
  });

  it('documents each media type in the OpenAPI document', async () => {
    type Content = Record<string, { schema: Record<string, unknown> }>;
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { get: { responses: Record<string, { content?: Content }> } }>;
    };
    const json = document.paths['/api/v1/reports/periodic'].get.responses['200'].content ?? {};
    expect(Object.keys(json).sort()).toEqual(['application/json', 'text/csv']);
    const pdf = document.paths['/api/v1/reports/periodic.pdf'].get.responses['200'].content ?? {};
    expect(pdf).toEqual({ 'application/pdf': { schema: { type: 'string', format: 'binary' } } });
  });

  it('is for QA and admins: a doctor and a technician are 403', async () => {
    expect((await periodic({ from, to, clinicId: cast.clinic.id }, cast.doctor)).status).toBe(403);
    expect((await periodic({ from, to }, cast.technician)).status).toBe(403);
  });

  it('refuses a period that does not run forward (400) and an unknown clinic (404)', async () => {
    const backwards = await periodic({ from: to, to: from }).expect(400);
    expect(backwards.body.code).toBe('VALIDATION_FAILED');
    expect((await periodic({ from, to: 'yesterday' })).status).toBe(400);
    const unknown = await periodic({ from, to, clinicId: '00000000-0000-4000-8000-000000000000' }).expect(
      404,
    );
    expect(unknown.body.code).toBe('NOT_FOUND');
  });
});
