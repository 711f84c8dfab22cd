import { dinCheckCharacter, dinYear } from '../../src/batches/domain/din';
import { aBatch, aReceivedHarvestFor, minutesAgo } from '../support/batch-fixtures';
import { aCollectedHarvest, aDonor } from '../support/donor-fixtures';
import { aCast, aPerson, bearer, Cast } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const FIN = process.env.FACILITY_FIN ?? 'X9999';
const TZ = process.env.FACILITY_TZ ?? 'Asia/Tokyo';

describe('batch creation (POST /batches)', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (who: { token: string }, body: Record<string, unknown>) =>
    t.http
      .post('/api/v1/batches')
      .set(...bearer(who))
      .send(body);
  const body = (harvestId: string, overrides: Record<string, unknown> = {}) => ({
    harvestId,
    productType: 'CULTURED_ADSC',
    targetCellCount: 100_000_000,
    ...overrides,
  });
  const batchesOfHarvest = async (harvestId: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM batches WHERE harvest_id = $1', [harvestId])).rows[0]
      .n;

  it('creates a RECEIVED batch with an ISBT 128 DIN, its check character and the specification in force', async () => {
    const harvest = await aReceivedHarvestFor(t.http, cast);
    const response = await create(cast.technician, body(harvest.id)).expect(201);

    const batch = response.body;
    const year2 = String(dinYear(new Date(), TZ)).padStart(2, '0');
    expect(batch.din).toMatch(new RegExp(`^${FIN}${year2}\\d{6}$`));
    expect(batch.dinCheck).toBe(dinCheckCharacter(batch.din));
    expect(batch).toMatchObject({
      status: 'RECEIVED',
      biohazard: false,
      donorId: harvest.donorId,
      clinicId: cast.clinic.id,
      harvestId: harvest.id,
      productType: 'CULTURED_ADSC',
      targetCellCount: 100_000_000,
      specificationVersion: 'ADSC-2026.1',
      maxPassage: 5,
      currentPassage: null,
      latestCount: null,
      projectedReadyAt: null,
      viableCellsYielded: null,
      cellsRemaining: null,
      qc: { complete: false, passed: true, results: [] },
      openDeviations: 0,
      receiptDeviations: [],
      readyForInjection: false,
      expiresAt: null,
      decision: null,
    });
    const audit = await t.sql.query('SELECT action, actor_id FROM audit_entries WHERE entity_id = $1', [
      batch.id,
    ]);
    expect(audit.rows).toEqual([{ action: 'batch.created', actor_id: cast.technician.id }]);
  });

  it("marks a REACTIVE donor's batch as biohazard (autologous use is allowed)", async () => {
    const batch = await aBatch(t.http, cast, { reactive: true });
    const view = await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(view.body.biohazard).toBe(true);
  });

  it('refuses a batch for a donor whose screening is incomplete (SCREENING_INCOMPLETE), writing nothing', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const harvest = await aCollectedHarvest(t.http, cast.doctor, donor);
    await t.http
      .post(`/api/v1/harvests/${harvest.id}/receipt`)
      .set(...bearer(cast.technician))
      .send({ receivedAt: minutesAgo(30), temperatureC: 4, intact: true })
      .expect(200);

    const response = await create(cast.technician, body(harvest.id)).expect(422);
    expect(response.body.code).toBe('SCREENING_INCOMPLETE');
    expect(await batchesOfHarvest(harvest.id)).toBe(0);
  });

  it('refuses a harvest that is not RECEIVED (INVALID_TRANSITION)', async () => {
    const collected = await aCollectedHarvest(t.http, cast.doctor);
    const response = await create(cast.technician, body(collected.id)).expect(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');

    const rejected = await aCollectedHarvest(t.http, cast.doctor);
    await t.http
      .post(`/api/v1/harvests/${rejected.id}/receipt`)
      .set(...bearer(cast.technician))
      .send({ receivedAt: minutesAgo(10), temperatureC: 4, intact: false })
      .expect(200);
    expect((await create(cast.technician, body(rejected.id)).expect(409)).body.code).toBe(
      'INVALID_TRANSITION',
    );
    expect(await batchesOfHarvest(collected.id)).toBe(0);
  });

  it('answers 404 for a harvest that does not exist', async () => {
    const response = await create(cast.technician, body('00000000-0000-4000-8000-000000000000')).expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('allows one batch per harvest (DUPLICATE)', async () => {
    const harvest = await aReceivedHarvestFor(t.http, cast);
    await create(cast.technician, body(harvest.id)).expect(201);
    const second = await create(cast.technician2, body(harvest.id)).expect(409);
    expect(second.body.code).toBe('DUPLICATE');
    expect(await batchesOfHarvest(harvest.id)).toBe(1);
  });

  it('lets exactly one of two concurrent creations for one harvest win', async () => {
    const harvest = await aReceivedHarvestFor(t.http, cast);
    const responses = await Promise.all([
      create(cast.technician, body(harvest.id)),
      create(cast.technician2, body(harvest.id)),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)?.body.code).toBe('DUPLICATE');
    expect(await batchesOfHarvest(harvest.id)).toBe(1);
  });

  it('gives concurrent creations distinct, gapless DINs with valid check characters, failed ones giving their number back', async () => {
    const good = await Promise.all(Array.from({ length: 10 }, () => aReceivedHarvestFor(t.http, cast)));
    const unscreened = await aDonor(t.http, cast.doctor);
    const bad = await aCollectedHarvest(t.http, cast.doctor, unscreened);
    await t.http
      .post(`/api/v1/harvests/${bad.id}/receipt`)
      .set(...bearer(cast.technician))
      .send({ receivedAt: minutesAgo(30), temperatureC: 4, intact: true })
      .expect(200);

    const responses = await Promise.all([
      ...good.map((harvest, i) => create(i % 2 ? cast.technician : cast.technician2, body(harvest.id))),
      create(cast.technician, body(bad.id)),
      create(cast.technician2, body(bad.id)),
    ]);
    expect(responses.map((r) => r.status)).toEqual([...Array(10).fill(201), 422, 422]);
    const dins = responses.slice(0, 10).map((r) => r.body as { din: string; dinCheck: string });
    expect(new Set(dins.map((d) => d.din)).size).toBe(10);
    for (const { din, dinCheck } of dins) expect(dinCheck).toBe(dinCheckCharacter(din));

    // Gapless over the whole facility year, read in one snapshot (other suites create batches meanwhile).
    const year2 = dinYear(new Date(), TZ);
    const { rows } = await t.sql.query(
      `SELECT (SELECT last_value FROM din_sequences WHERE facility_fin = $1 AND year2 = $2) AS "lastValue",
              (SELECT array_agg(substr(din, 8)::int ORDER BY din) FROM batches WHERE substr(din, 1, 7) = $1 || lpad($2::text, 2, '0')) AS sequences`,
      [FIN, year2],
    );
    const { lastValue, sequences } = rows[0] as { lastValue: number; sequences: number[] };
    expect(sequences).toEqual(Array.from({ length: lastValue }, (_, i) => i + 1));
  });

  it.each([
    ['targetCellCount', { targetCellCount: 999_999 }],
    ['targetCellCount', { targetCellCount: 10_000_000_001 }],
    ['targetCellCount', { targetCellCount: 1.5e8 + 0.5 }],
    ['productType', { productType: 'CULTURED_BMSC' }],
    ['harvestId', { harvestId: 'not-a-uuid' }],
    ['din', { din: 'X999926000001' }],
  ])('refuses bad input naming %s, writing nothing', async (field, overrides) => {
    const harvest = await aReceivedHarvestFor(t.http, cast);
    const response = await create(cast.technician, body(harvest.id, overrides)).expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await batchesOfHarvest(harvest.id)).toBe(0);
  });

  it.each(['doctor', 'qa', 'admin'] as const)(
    'refuses a %s (FORBIDDEN), before looking at the body',
    async (role) => {
      const person = role === 'doctor' ? cast.doctor : role === 'qa' ? cast.qa : { token: cast.admin };
      const response = await create(person, { harvestId: 'garbage' }).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    },
  );

  it('refuses a request without a token (UNAUTHENTICATED)', async () => {
    await t.http.post('/api/v1/batches').send({}).expect(401);
  });

  it('replays an idempotent creation instead of creating a second batch', async () => {
    const harvest = await aReceivedHarvestFor(t.http, cast);
    const key = `batch-${harvest.id}`;
    const first = await t.http
      .post('/api/v1/batches')
      .set(...bearer(cast.technician))
      .set('Idempotency-Key', key)
      .send(body(harvest.id));
    const again = await t.http
      .post('/api/v1/batches')
      .set(...bearer(cast.technician))
      .set('Idempotency-Key', key)
      .send(body(harvest.id));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await batchesOfHarvest(harvest.id)).toBe(1);
  });

  it("hides the created batch from another clinic's doctor", async () => {
    const batch = await aBatch(t.http, cast);
    const stranger = await aPerson(t.http, 'doctor');
    await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set(...bearer(stranger))
      .expect(404);
  });
});
