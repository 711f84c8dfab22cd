import { randomUUID } from 'node:crypto';
import { OpenApiContract, verdict } from '../support/openapi-contract';
import { aCast, bearer, Cast } from '../support/people';
import { aCollectedHarvest } from '../support/donor-fixtures';
import { aDose, aReceivedDose, aReleasedBatch, ReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The answers of the harvest and dose routes are what the OpenAPI document says, checked by a JSON Schema
 * validator: null where an object is absent, integers, date-times, and the error bodies of each status.
 */
describe('the OpenAPI document against real answers (harvests, doses)', () => {
  let t: TestApp;
  let cast: Cast;
  let batch: ReleasedBatch;
  let contract: OpenApiContract;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    batch = await aReleasedBatch(t.http, cast);
    contract = new OpenApiContract((await t.http.get('/docs-json').expect(200)).body);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (path: string) => t.http.get(path).set(...bearer(cast.doctor));

  it('describes a harvest before receipt, with its nulls, as the document says', async () => {
    const harvest = await aCollectedHarvest(t.http, cast.doctor);
    const response = await get(`/api/v1/harvests/${harvest.id}`).expect(200);
    expect(response.body.receivedAt).toBeNull();
    expect(verdict(contract.responseOf('get', '/api/v1/harvests/{id}', 200), response.body)).toEqual([]);
  });

  it('describes a dose before receipt (receipt null) and after it (an object)', async () => {
    const fresh = await aDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const before = await get(`/api/v1/doses/${fresh.id}`).expect(200);
    expect(before.body.receipt).toBeNull();
    expect(verdict(contract.responseOf('get', '/api/v1/doses/{id}', 200), before.body)).toEqual([]);

    const received = await aReceivedDose(t.http, cast, batch.id, { cells: 1_000_000 });
    const after = await get(`/api/v1/doses/${received.id}`).expect(200);
    expect(after.body.receipt).toMatchObject({ temperatureC: 5, intact: true });
    expect(verdict(contract.responseOf('get', '/api/v1/doses/{id}', 200), after.body)).toEqual([]);
    const page = await get(`/api/v1/batches/${batch.id}/doses`).expect(200);
    expect(verdict(contract.responseOf('get', '/api/v1/batches/{id}/doses', 200), page.body)).toEqual([]);
  });

  it('refuses what the answers never are: a fractional cell count, a receipt of the wrong shape, a bad time', async () => {
    const dose = (
      await get(`/api/v1/doses/${(await aDose(t.http, cast, batch.id, { cells: 1_000_000 })).id}`)
    ).body as Record<string, unknown>;
    const validate = contract.responseOf('get', '/api/v1/doses/{id}', 200);
    expect(verdict(validate, { ...dose, cells: 1.5 })).not.toEqual([]);
    expect(verdict(validate, { ...dose, receipt: 'received' })).not.toEqual([]);
    expect(verdict(validate, { ...dose, formulatedAt: 'yesterday' })).not.toEqual([]);
  });

  it('would refuse a null receipt under the form @ApiProperty({ type, nullable }) emits (why views use oneOf)', async () => {
    const dose = (
      await get(`/api/v1/doses/${(await aDose(t.http, cast, batch.id, { cells: 1_000_000 })).id}`)
    ).body as Record<string, unknown>;
    const allOfForm = contract.schema({
      type: 'object',
      nullable: true,
      allOf: [{ $ref: 'openapi#/components/schemas/DoseReceiptDto' }],
    });
    expect(allOfForm(dose.receipt)).toBe(false);
  });

  it('gives each error status a body whose code is one the route lists', async () => {
    const missing = await get(`/api/v1/doses/${randomUUID()}`).expect(404);
    expect(verdict(contract.responseOf('get', '/api/v1/doses/{id}', 404), missing.body)).toEqual([]);
    const badId = await get('/api/v1/harvests/not-a-uuid').expect(400);
    expect(verdict(contract.responseOf('get', '/api/v1/harvests/{id}', 400), badId.body)).toEqual([]);
    // The 404 schema of that route does not admit another code.
    expect(
      verdict(contract.responseOf('get', '/api/v1/doses/{id}', 404), { ...missing.body, code: 'DUPLICATE' }),
    ).not.toEqual([]);
  });
});
