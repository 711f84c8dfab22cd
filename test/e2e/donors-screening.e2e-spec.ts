import { randomInt, randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/transaction/actor';
import { Transactions } from '../../src/common/transaction/transactions.service';
import { SCREENING_MARKERS } from '../../src/donors/domain/screening-status';
import { DonorsService } from '../../src/donors/donors.service';
import { aDonor, aReceivedHarvest, aScreenedDonor, DonorRef } from '../support/donor-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('donors: infectious screening', () => {
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

  function screen(who: Person, donorId: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/donors/${donorId}/screenings`)
      .set(...bearer(who))
      .send({ testedAt: ago(HOUR), ...body });
  }

  async function statusOf(donorId: string): Promise<string> {
    const response = await t.http
      .get(`/api/v1/donors/${donorId}`)
      .set(...bearer(cast.qa))
      .expect(200);
    return response.body.screeningStatus as string;
  }

  async function screeningCount(donorId: string): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM donor_screenings WHERE donor_id = $1',
      [donorId],
    );
    return rows[0].n;
  }

  const randomDin = (): string =>
    `Z9999${String(randomInt(0, 100)).padStart(2, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  const INSERT_BATCH = `INSERT INTO batches (din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
                            target_cell_count, created_by)
       SELECT $1, 'A', $2, $3, $4, 'CULTURED_ADSC', s.id, 100000000, $5
         FROM specifications s WHERE s.product_type = 'CULTURED_ADSC' AND s.active
       RETURNING id`;

  /** A batch of the donor, written behind the app's back: the batches module is not what is under test here. */
  async function aBatchRowOf(donor: DonorRef): Promise<string> {
    const harvest = await aReceivedHarvest(t.http, cast.doctor, cast.technician, donor);
    const { rows } = await t.sql.query<{ id: string }>(INSERT_BATCH, [
      randomDin(),
      harvest.id,
      donor.id,
      donor.clinicId,
      cast.technician.id,
    ]);
    return rows[0].id;
  }

  it('is PENDING until all five markers are NEGATIVE, then NEGATIVE', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    for (const [index, marker] of SCREENING_MARKERS.entries()) {
      const response = await screen(index % 2 ? cast.technician : cast.doctor, donor.id, {
        marker,
        result: 'NEGATIVE',
      }).expect(201);
      expect(response.body).toMatchObject({
        donorId: donor.id,
        marker,
        result: 'NEGATIVE',
        correctsId: null,
        supersededBy: null,
        screeningStatus: index < 4 ? 'PENDING' : 'NEGATIVE',
      });
    }
    expect(await statusOf(donor.id)).toBe('NEGATIVE');
    const audit = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'donor.screening_recorded'`,
      [donor.id],
    );
    expect(audit.rows[0].n).toBe(5);
  });

  it('turns REACTIVE on one reactive result, and a later NEGATIVE does not lift it', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    await screen(cast.technician, donor.id, { marker: 'HCV', result: 'REACTIVE' }).expect(201);
    expect(await statusOf(donor.id)).toBe('REACTIVE');
    const retest = await screen(cast.doctor, donor.id, { marker: 'HCV', result: 'NEGATIVE' }).expect(201);
    expect(retest.body.screeningStatus).toBe('REACTIVE');
    expect(await statusOf(donor.id)).toBe('REACTIVE');
  });

  it('refuses a correction of a REACTIVE result by a doctor or a technician (403), and writes nothing', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor, { reactive: true });
    const reactive = await t.sql.query<{ id: string }>(
      `SELECT id FROM donor_screenings WHERE donor_id = $1 AND result = 'REACTIVE'`,
      [donor.id],
    );
    const before = await screeningCount(donor.id);
    for (const who of [cast.doctor, cast.technician]) {
      const response = await screen(who, donor.id, {
        marker: 'HBV',
        result: 'NEGATIVE',
        correctsId: reactive.rows[0].id,
        reason: 'Transcription error',
      }).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    expect(await screeningCount(donor.id)).toBe(before);
    expect(await statusOf(donor.id)).toBe('REACTIVE');
  });

  it('lifts a REACTIVE result only by a qa correction with a reason; the corrected entry stays, superseded', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor, { reactive: true });
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.qa))
      .expect(200);
    const reactive = view.body.screenings.find((s: { result: string }) => s.result === 'REACTIVE');

    const noReason = await screen(cast.qa, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: reactive.id,
    }).expect(400);
    expect(noReason.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);

    const corrected = await screen(cast.qa, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: reactive.id,
      reason: 'Confirmatory NAT negative: initial EIA false reactive (OOS investigation 2026-014)',
    }).expect(201);
    expect(corrected.body).toMatchObject({
      correctsId: reactive.id,
      recordedByRole: 'qa',
      screeningStatus: 'NEGATIVE',
    });

    const after = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    expect(after.body.screeningStatus).toBe('NEGATIVE');
    expect(after.body.screenings).toHaveLength(6);
    expect(after.body.screenings.find((s: { id: string }) => s.id === reactive.id)).toMatchObject({
      result: 'REACTIVE',
      supersededBy: corrected.body.id,
    });
    const audit = await t.sql.query(
      `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'donor.screening_corrected'`,
      [donor.id],
    );
    expect(audit.rows).toEqual([{ reason: expect.stringContaining('OOS investigation') }]);
  });

  it('lets qa record corrections only, not new results (403)', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const response = await screen(cast.qa, donor.id, { marker: 'HIV', result: 'NEGATIVE' }).expect(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(await screeningCount(donor.id)).toBe(0);
  });

  it('lets a doctor correct a NEGATIVE typed wrong into REACTIVE, which makes the donor REACTIVE', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    const syphilis = view.body.screenings.find((s: { marker: string }) => s.marker === 'SYPHILIS');
    const response = await screen(cast.doctor, donor.id, {
      marker: 'SYPHILIS',
      result: 'REACTIVE',
      correctsId: syphilis.id,
      reason: 'Wrong result copied from the lab report',
    }).expect(201);
    expect(response.body.screeningStatus).toBe('REACTIVE');
  });

  it('refuses a correction of another marker (400), of an unknown or foreign entry (404), or of a corrected entry (409)', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const other = await aScreenedDonor(t.http, cast.doctor);
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    const hbv = view.body.screenings.find((s: { marker: string }) => s.marker === 'HBV');
    const otherView = await t.http
      .get(`/api/v1/donors/${other.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    const before = await screeningCount(donor.id);

    const wrongMarker = await screen(cast.doctor, donor.id, {
      marker: 'HCV',
      result: 'NEGATIVE',
      correctsId: hbv.id,
      reason: 'x',
    }).expect(400);
    expect(wrongMarker.body.details.fields[0].field).toBe('marker');
    await screen(cast.doctor, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: randomUUID(),
      reason: 'x',
    }).expect(404);
    await screen(cast.doctor, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: otherView.body.screenings[0].id,
      reason: 'x',
    }).expect(404);
    expect(await screeningCount(donor.id)).toBe(before);

    await screen(cast.doctor, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: hbv.id,
      reason: 'Date typed wrong',
    }).expect(201);
    const again = await screen(cast.doctor, donor.id, {
      marker: 'HBV',
      result: 'NEGATIVE',
      correctsId: hbv.id,
      reason: 'Again',
    }).expect(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect(await screeningCount(donor.id)).toBe(before + 1);
  });

  it('lets exactly one of two concurrent corrections of one entry win (the other is 409)', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    const hiv = view.body.screenings.find((s: { marker: string }) => s.marker === 'HIV');
    const responses = await Promise.all(
      [cast.doctor, cast.technician, cast.technician2].map((who) =>
        screen(who, donor.id, {
          marker: 'HIV',
          result: 'NEGATIVE',
          correctsId: hiv.id,
          reason: `fix by ${who.name}`,
        }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const { rows } = await t.sql.query(
      'SELECT count(*)::int AS n FROM donor_screenings WHERE corrects_id = $1',
      [hiv.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it("hides another clinic's donor from a doctor (404) and writes nothing", async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const response = await screen(otherDoctor, donor.id, { marker: 'HBV', result: 'NEGATIVE' }).expect(404);
    expect(response.body.code).toBe('NOT_FOUND');
    expect(await screeningCount(donor.id)).toBe(0);
  });

  it('refuses an admin (403) and an unknown donor (404)', async () => {
    await screen({ token: cast.admin } as Person, randomUUID(), { marker: 'HBV', result: 'NEGATIVE' }).expect(
      403,
    );
    await screen(cast.technician, randomUUID(), { marker: 'HBV', result: 'NEGATIVE' }).expect(404);
  });

  it.each([
    ['an unknown marker', { marker: 'HEPATITIS', result: 'NEGATIVE' }, 'marker'],
    ['an unknown result', { marker: 'HBV', result: 'POSITIVE' }, 'result'],
    [
      'a test time in the future',
      { marker: 'HBV', result: 'NEGATIVE', testedAt: new Date(Date.now() + HOUR).toISOString() },
      'testedAt',
    ],
    [
      'a correctsId that is not a UUID',
      { marker: 'HBV', result: 'NEGATIVE', correctsId: '12', reason: 'x' },
      'correctsId',
    ],
    [
      'an unknown property',
      { marker: 'HBV', result: 'NEGATIVE', supersededBy: randomUUID() },
      'supersededBy',
    ],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
    const donor = await aDonor(t.http, cast.doctor);
    const response = await screen(cast.technician, donor.id, body).expect(400);
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await screeningCount(donor.id)).toBe(0);
  });

  it("marks the donor's existing batches biohazard in the same transaction that makes the donor REACTIVE, and audits it", async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const batchId = await aBatchRowOf(donor);
    const response = await screen(cast.technician, donor.id, { marker: 'HTLV1', result: 'REACTIVE' }).expect(
      201,
    );
    expect(response.body.screeningStatus).toBe('REACTIVE');
    const batch = await t.sql.query('SELECT biohazard FROM batches WHERE id = $1', [batchId]);
    expect(batch.rows[0].biohazard).toBe(true);
    const audit = await t.sql.query(
      `SELECT action, entity_type, before, after FROM audit_entries WHERE entity_id = $1`,
      [batchId],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        action: 'batch.biohazard_marked',
        entity_type: 'batch',
        before: { biohazard: false },
        after: expect.objectContaining({ biohazard: true, marker: 'HTLV1' }),
      }),
    ]);
    // A second reactive result changes nothing more: the batch is marked once.
    await screen(cast.technician, donor.id, { marker: 'HIV', result: 'REACTIVE' }).expect(201);
    const again = await t.sql.query(`SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1`, [
      batchId,
    ]);
    expect(again.rows[0].n).toBe(1);
  });

  it("leaves a NEGATIVE donor's batches as they are", async () => {
    const donor = await aDonor(t.http, cast.doctor);
    for (const marker of SCREENING_MARKERS.slice(0, 4))
      await screen(cast.doctor, donor.id, { marker, result: 'NEGATIVE' }).expect(201);
    const batchId = await aBatchRowOf(donor);
    await screen(cast.doctor, donor.id, { marker: 'SYPHILIS', result: 'NEGATIVE' }).expect(201);
    const batch = await t.sql.query('SELECT biohazard FROM batches WHERE id = $1', [batchId]);
    expect(batch.rows[0].biohazard).toBe(false);
  });
  it('holds the donor while a batch is created on a NEGATIVE status, so a REACTIVE result recorded meanwhile still marks it', async () => {
    const donor = await aScreenedDonor(t.http, cast.doctor);
    const harvest = await aReceivedHarvest(t.http, cast.doctor, cast.technician, donor);
    let reactive: Promise<{ status: number }> | null = null;
    const batchId = await t.app.get(Transactions).run(SYSTEM_ACTOR, async (tx) => {
      // What the batches module does: read the screening status inside the creating transaction...
      expect(await t.app.get(DonorsService).screeningStatus(donor.id, tx.manager)).toBe('NEGATIVE');
      // ...while a technician records a REACTIVE result for the same donor.
      reactive = screen(cast.technician, donor.id, { marker: 'HIV', result: 'REACTIVE' }).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const rows = await tx.query<{ id: string }>(INSERT_BATCH, [
        randomDin(),
        harvest.id,
        donor.id,
        donor.clinicId,
        cast.technician.id,
      ]);
      return rows[0].id;
    });
    expect((await reactive!).status).toBe(201);
    const batch = await t.sql.query('SELECT biohazard FROM batches WHERE id = $1', [batchId]);
    expect(batch.rows[0].biohazard).toBe(true);
  });
});
