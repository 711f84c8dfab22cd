import { Fhir } from 'fhir';
import { randomUUID } from 'node:crypto';
import { aBankedBatch } from '../support/bank-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast } from '../support/people';
import { aDose, aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const fhir = new Fhir();
const messages = (resource: object): unknown[] =>
  (fhir.validate(resource) as { messages: unknown[] }).messages;

describe("FHIR R4 BiologicallyDerivedProduct for clinics' systems", () => {
  let t: TestApp;
  let cast: Cast;
  let doseId: string;
  let doseLabel: string;
  let donorCode: string;
  let vialIds: string[];

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    const banked = await aBankedBatch(t.http, cast, { vials: 2 });
    const dose = await aDose(t.http, cast, banked.batch.id);
    doseId = dose.id;
    doseLabel = dose.label;
    vialIds = banked.vials.map((vial) => vial.id);
    const view = await t.http.get(`/api/v1/doses/${doseId}`).set(...bearer(cast.qa));
    const donor = await t.http.get(`/api/v1/donors/${view.body.donorId}`).set(...bearer(cast.qa));
    donorCode = donor.body.code;
  }, 60_000);
  afterAll(async () => t.close());

  it('reads a dose as a valid resource, served as application/fhir+json', async () => {
    const response = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${doseId}`)
      .set(...bearer(cast.doctor));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const resource = JSON.parse(response.text);
    expect(messages(resource)).toEqual([]);
    expect(resource).toMatchObject({
      resourceType: 'BiologicallyDerivedProduct',
      id: doseId,
      productCategory: 'cells',
      status: 'available',
      identifier: expect.arrayContaining([expect.objectContaining({ value: doseLabel })]),
      collection: { source: { identifier: { value: donorCode } } },
    });
  });

  it('reads a vial as a valid resource', async () => {
    const response = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${vialIds[0]}`)
      .set(...bearer(cast.technician));
    expect(response.status).toBe(200);
    const resource = JSON.parse(response.text);
    expect(messages(resource)).toEqual([]);
    expect(resource.status).toBe('available');
    expect(resource.storage[0].description).toContain('row 1');
  });

  it("searches a patient's products by donor code as a valid searchset Bundle", async () => {
    const response = await t.http
      .get('/api/v1/fhir/BiologicallyDerivedProduct')
      .query({ patient: donorCode })
      .set(...bearer(cast.doctor));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(response.text);
    expect(messages(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 3 });
    expect(bundle.entry.map((entry: { resource: { id: string } }) => entry.resource.id).sort()).toEqual(
      [doseId, ...vialIds].sort(),
    );
  });

  it("hides another clinic's products: 404 to read, an empty Bundle to search", async () => {
    const stranger = await aPerson(t.http, 'doctor', await aClinic(t.http));
    const read = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${doseId}`)
      .set(...bearer(stranger));
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('NOT_FOUND');
    const search = await t.http
      .get('/api/v1/fhir/BiologicallyDerivedProduct')
      .query({ patient: donorCode })
      .set(...bearer(stranger));
    expect(search.status).toBe(200);
    expect(JSON.parse(search.text)).toMatchObject({ type: 'searchset', total: 0 });
  });

  it('answers 404 for an unknown id, 400 for a malformed one or a missing patient, 403 for the monitor', async () => {
    const unknown = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${randomUUID()}`)
      .set(...bearer(cast.qa));
    expect(unknown.status).toBe(404);
    const malformed = await t.http
      .get('/api/v1/fhir/BiologicallyDerivedProduct/D-01')
      .set(...bearer(cast.qa));
    expect(malformed.status).toBe(400);
    const noPatient = await t.http.get('/api/v1/fhir/BiologicallyDerivedProduct').set(...bearer(cast.qa));
    expect(noPatient.status).toBe(400);
    expect(noPatient.body.code).toBe('VALIDATION_FAILED');
    const monitor = await aPerson(t.http, 'monitor');
    const refused = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${doseId}`)
      .set(...bearer(monitor));
    expect(refused.status).toBe(403);
  });

  it('says a dose is unavailable once it is destroyed', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, batch.id);
    const destroyed = await t.http
      .post(`/api/v1/doses/${dose.id}/destruction`)
      .set(...bearer(cast.technician))
      .send({ reason: 'Dropped on the floor' });
    expect(destroyed.status).toBe(200);
    const response = await t.http
      .get(`/api/v1/fhir/BiologicallyDerivedProduct/${dose.id}`)
      .set(...bearer(cast.qa));
    const resource = JSON.parse(response.text);
    expect(resource.status).toBe('unavailable');
    expect(messages(resource)).toEqual([]);
  });
});
