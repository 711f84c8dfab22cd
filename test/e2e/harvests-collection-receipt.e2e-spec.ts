import { randomUUID } from 'node:crypto';
import { DomainError } from '../../src/common/errors/domain-error';
import { SYSTEM_ACTOR } from '../../src/common/transaction/actor';
import { Transactions } from '../../src/common/transaction/transactions.service';
import { HarvestsService } from '../../src/harvests/harvests.service';
import { aCollectedHarvest, aDonor, aReceivedHarvest, aScreenedDonor } from '../support/donor-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('harvests: collection and receipt', () => {
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

  function collect(who: Person | string, body: Record<string, unknown>) {
    return t.http
      .post('/api/v1/harvests')
      .set(...bearer(who))
      .send({ tissue: 'ADIPOSE', volumeMl: 20, collectedAt: ago(HOUR), ...body });
  }

  function receive(who: Person | string, harvestId: string, body: Record<string, unknown> = {}) {
    return t.http
      .post(`/api/v1/harvests/${harvestId}/receipt`)
      .set(...bearer(who))
      .send({ receivedAt: new Date().toISOString(), temperatureC: 4, intact: true, ...body });
  }

  async function harvestCount(donorId: string): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM harvests WHERE donor_id = $1',
      [donorId],
    );
    return rows[0].n;
  }

  async function harvestRow(id: string): Promise<Record<string, unknown>> {
    const { rows } = await t.sql.query(
      'SELECT status, received_at, received_by FROM harvests WHERE id = $1',
      [id],
    );
    return rows[0];
  }

  describe('collection', () => {
    it("records a collection for a donor of the doctor's clinic, COLLECTED and audited", async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      const collectedAt = ago(2 * HOUR);
      const response = await collect(cast.doctor, { donorId: donor.id, volumeMl: 22.5, collectedAt }).expect(
        201,
      );
      expect(response.body).toMatchObject({
        id: expect.any(String),
        donorId: donor.id,
        donorCode: donor.code,
        clinicId: cast.clinic.id,
        tissue: 'ADIPOSE',
        volumeMl: 22.5,
        collectedAt,
        collectedBy: cast.doctor.id,
        status: 'COLLECTED',
        receivedAt: null,
        deviations: [],
        rejectionReason: null,
      });
      const audit = await t.sql.query(`SELECT action FROM audit_entries WHERE entity_id = $1`, [
        response.body.id,
      ]);
      expect(audit.rows).toEqual([{ action: 'harvest.collected' }]);
    });

    it('does not need a complete screening (the batch checks that)', async () => {
      const donor = await aDonor(t.http, cast.doctor);
      await collect(cast.doctor, { donorId: donor.id }).expect(201);
    });

    it('refuses a donor without treatment consent (422 CONSENT_MISSING) and writes nothing', async () => {
      const donor = await aDonor(t.http, cast.doctor, { treatment: false });
      const response = await collect(cast.doctor, { donorId: donor.id }).expect(422);
      expect(response.body.code).toBe('CONSENT_MISSING');
      expect(await harvestCount(donor.id)).toBe(0);
    });

    it('refuses a donor whose new consent withdrew treatment (422 CONSENT_MISSING)', async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      await collect(cast.doctor, { donorId: donor.id }).expect(201);
      await t.http
        .post(`/api/v1/donors/${donor.id}/consents`)
        .set(...bearer(cast.doctor))
        .send({ treatment: false, banking: true, signedAt: ago(0) })
        .expect(201);
      const response = await collect(cast.doctor, { donorId: donor.id }).expect(422);
      expect(response.body.code).toBe('CONSENT_MISSING');
      expect(await harvestCount(donor.id)).toBe(1);
    });

    it("hides another clinic's donor (404) and an unknown donor (404), writing nothing", async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      await collect(otherDoctor, { donorId: donor.id }).expect(404);
      expect(await harvestCount(donor.id)).toBe(0);
      const response = await collect(cast.doctor, { donorId: randomUUID() }).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('lets only doctors record collections (403 for technicians, qa and admins)', async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      for (const who of [cast.technician, cast.qa, cast.admin]) {
        const response = await collect(who, { donorId: donor.id }).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      expect(await harvestCount(donor.id)).toBe(0);
    });

    it.each([
      ['no volume', { volumeMl: 0 }, 'volumeMl'],
      ['a negative volume', { volumeMl: -5 }, 'volumeMl'],
      ['over 500 mL', { volumeMl: 500.01 }, 'volumeMl'],
      ['a volume as a string', { volumeMl: '20' }, 'volumeMl'],
      ['a volume with three decimals', { volumeMl: 20.125 }, 'volumeMl'],
      ['an unknown tissue', { tissue: 'SKIN' }, 'tissue'],
      [
        'a collection in the future',
        { collectedAt: new Date(Date.now() + HOUR).toISOString() },
        'collectedAt',
      ],
      ['a donor id that is not a UUID', { donorId: 'patient-1' }, 'donorId'],
      ['an unknown property', { status: 'RECEIVED' }, 'status'],
    ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      const response = await collect(cast.doctor, { donorId: donor.id, ...body }).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(await harvestCount(donor.id)).toBe(0);
    });

    it('accepts exactly 500 mL', async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      await collect(cast.doctor, { donorId: donor.id, volumeMl: 500 }).expect(201);
    });
  });

  describe('receipt', () => {
    it('receives intact tissue at 2-8 C within 48 h, with no deviation', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const response = await receive(cast.technician, harvest.id, { temperatureC: 4.5 }).expect(200);
      expect(response.body).toMatchObject({
        status: 'RECEIVED',
        temperatureC: 4.5,
        intact: true,
        receivedBy: cast.technician.id,
        deviations: [],
        rejectionReason: null,
        transitHours: expect.any(Number),
      });
      const audit = await t.sql.query(
        `SELECT action, before FROM audit_entries WHERE entity_id = $1 ORDER BY seq`,
        [harvest.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['harvest.collected', 'harvest.received']);
    });

    it('accepts tissue outside 2-8 C and records the temperature deviation', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const response = await receive(cast.technician, harvest.id, { temperatureC: 9.5 }).expect(200);
      expect(response.body.status).toBe('RECEIVED');
      expect(response.body.deviations).toEqual([
        expect.objectContaining({ code: 'TEMPERATURE_OUT_OF_RANGE', temperatureC: 9.5, minC: 2, maxC: 8 }),
      ]);
      const view = await t.http
        .get(`/api/v1/harvests/${harvest.id}`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(view.body.deviations).toHaveLength(1);
    });

    it('rejects a container that is not intact, with the reason', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const response = await receive(cast.technician, harvest.id, { intact: false }).expect(200);
      expect(response.body).toMatchObject({
        status: 'REJECTED',
        intact: false,
        rejectionReason: expect.stringMatching(/not intact/),
      });
      const audit = await t.sql.query(
        `SELECT action, reason FROM audit_entries WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1`,
        [harvest.id],
      );
      expect(audit.rows[0]).toEqual({
        action: 'harvest.rejected',
        reason: expect.stringMatching(/not intact/),
      });
    });

    it('rejects tissue received over 48 h after collection, and accepts it at exactly 48 h', async () => {
      const donor = await aScreenedDonor(t.http, cast.doctor);
      const late = await collect(cast.doctor, { donorId: donor.id, collectedAt: ago(50 * HOUR) }).expect(201);
      const lateReceipt = await receive(cast.technician, late.body.id).expect(200);
      expect(lateReceipt.body).toMatchObject({
        status: 'REJECTED',
        rejectionReason: expect.stringMatching(/48 h/),
      });

      const collectedAt = new Date(Date.now() - 60 * HOUR);
      const onTime = await collect(cast.doctor, {
        donorId: donor.id,
        collectedAt: collectedAt.toISOString(),
      }).expect(201);
      const receivedAt = new Date(collectedAt.getTime() + 48 * HOUR).toISOString();
      const onTimeReceipt = await receive(cast.technician, onTime.body.id, { receivedAt }).expect(200);
      expect(onTimeReceipt.body).toMatchObject({ status: 'RECEIVED', transitHours: 48 });
    });

    it('refuses a second receipt, of a received or a rejected harvest (409 INVALID_TRANSITION)', async () => {
      const received = await aReceivedHarvest(t.http, cast.doctor, cast.technician);
      const again = await receive(cast.technician2, received.id, { temperatureC: 10 }).expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      expect(await harvestRow(received.id)).toMatchObject({
        status: 'RECEIVED',
        received_by: cast.technician.id,
      });

      const rejected = await aCollectedHarvest(t.http, cast.doctor);
      await receive(cast.technician, rejected.id, { intact: false }).expect(200);
      await receive(cast.technician, rejected.id).expect(409);
      expect((await harvestRow(rejected.id)).status).toBe('REJECTED');
    });

    it('lets exactly one of several concurrent receipts win; the others are 409', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const responses = await Promise.all(
        [cast.technician, cast.technician2, cast.technician, cast.technician2].map((who, i) =>
          receive(who, harvest.id, { temperatureC: 3 + i }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      const audit = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action IN ('harvest.received', 'harvest.rejected')`,
        [harvest.id],
      );
      expect(audit.rows[0].n).toBe(1);
    });

    it('refuses a receipt time before the collection (400 naming receivedAt) and changes nothing', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const before = new Date(new Date(harvest.collectedAt).getTime() - 1000).toISOString();
      const response = await receive(cast.technician, harvest.id, { receivedAt: before }).expect(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['receivedAt']);
      expect(await harvestRow(harvest.id)).toMatchObject({ status: 'COLLECTED', received_at: null });
    });

    it.each([
      ['a missing intact flag', { intact: undefined }, 'intact'],
      ['a temperature as a string', { temperatureC: '4' }, 'temperatureC'],
      ['an absurd temperature', { temperatureC: 1000 }, 'temperatureC'],
      ['a receipt in the future', { receivedAt: new Date(Date.now() + HOUR).toISOString() }, 'receivedAt'],
      ['an unknown property', { status: 'RECEIVED' }, 'status'],
    ])('refuses %s with 400 naming the field, and changes nothing', async (_case, body, field) => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      const response = await receive(cast.technician, harvest.id, body).expect(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect((await harvestRow(harvest.id)).status).toBe('COLLECTED');
    });

    it('lets only technicians receive (403 for doctors, qa and admins), and answers 404/400 for bad ids', async () => {
      const harvest = await aCollectedHarvest(t.http, cast.doctor);
      for (const who of [cast.doctor, cast.qa, cast.admin]) await receive(who, harvest.id).expect(403);
      expect((await harvestRow(harvest.id)).status).toBe('COLLECTED');
      await receive(cast.technician, randomUUID()).expect(404);
      const response = await receive(cast.technician, 'H-1').expect(400);
      expect(response.body.details.fields[0].field).toBe('id');
    });
  });

  describe('view', () => {
    it("shows a harvest to every role, and hides it from another clinic's doctor (404)", async () => {
      const harvest = await aReceivedHarvest(t.http, cast.doctor, cast.technician);
      for (const who of [cast.doctor, cast.technician, cast.qa, cast.admin]) {
        const response = await t.http
          .get(`/api/v1/harvests/${harvest.id}`)
          .set(...bearer(who))
          .expect(200);
        expect(response.body).toMatchObject({ id: harvest.id, donorId: harvest.donorId, status: 'RECEIVED' });
      }
      const hidden = await t.http
        .get(`/api/v1/harvests/${harvest.id}`)
        .set(...bearer(otherDoctor))
        .expect(404);
      expect(hidden.body.code).toBe('NOT_FOUND');
      await t.http
        .get(`/api/v1/harvests/${randomUUID()}`)
        .set(...bearer(cast.qa))
        .expect(404);
    });
  });

  describe('HarvestsService.lockReceivedForBatch', () => {
    async function lock(harvestId: string): Promise<unknown> {
      const service = t.app.get(HarvestsService);
      return t.app.get(Transactions).run(SYSTEM_ACTOR, (tx) => service.lockReceivedForBatch(tx, harvestId));
    }

    it('hands a RECEIVED harvest to the batch, and refuses one still COLLECTED (409) or unknown (404)', async () => {
      const received = await aReceivedHarvest(t.http, cast.doctor, cast.technician);
      await expect(lock(received.id)).resolves.toMatchObject({
        id: received.id,
        donorId: received.donorId,
        status: 'RECEIVED',
      });
      const collected = await aCollectedHarvest(t.http, cast.doctor);
      await expect(lock(collected.id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
      await expect(lock(randomUUID())).rejects.toBeInstanceOf(DomainError);
      await expect(lock(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
