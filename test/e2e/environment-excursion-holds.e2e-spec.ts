import { aBox, cryopreserve, Placement, positionsIn, UnitRef, VialRef } from '../support/bank-fixtures';
import {
  COLD,
  everyMinute,
  ExcursionView,
  excursionRowsOf,
  minutesBefore,
  postReadings,
  times,
  WARM,
} from '../support/environment-fixtures';
import { aJobsApp, flagRowsOf, flagWithin, JobsTestApp } from '../support/flag-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { aReleasedBatch, ReleasedBatch } from '../support/release-fixtures';

/**
 * An excursion holds the vials that stood in the tank while it lasted (those moved in during it too) until QA's
 * signed disposition; it raises TEMPERATURE_EXCURSION through the outbox within 5 s.
 */
describe('cold chain: excursions hold vials until QA disposes of them', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let monitor: Person;

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
    monitor = await aPerson(t.http, 'monitor');
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
  });

  /** A tank whose excursions need only 3 minutes out of range, with a box. */
  async function aQuickTank(): Promise<{ root: UnitRef; box: UnitRef }> {
    const { root, box } = await aBox(t.http, cast.admin);
    const patched = await t.http
      .patch(`/api/v1/storage-units/${root.id}`)
      .set(...bearer(cast.admin))
      .send({ excursionMinutes: 3 });
    expect(patched.status).toBe(200);
    return { root, box };
  }

  async function freeze(batch: ReleasedBatch, placements: Placement[], minutesAgo = 10): Promise<VialRef[]> {
    const response = await cryopreserve(t.http, cast.technician, batch.id, placements, {
      frozenAt: minutesBefore(minutesAgo),
    });
    expect(response.status).toBe(201);
    return response.body.vials;
  }

  const reserve = (batch: ReleasedBatch, vials: VialRef[]) =>
    t.http
      .post('/api/v1/boosters')
      .set(...bearer(cast.doctor))
      .send({ donorId: batch.donorId, vialIds: vials.map((v) => v.id) });
  const excursion = async (id: string): Promise<ExcursionView> => {
    const response = await t.http.get(`/api/v1/excursions/${id}`).set(...bearer(cast.qa));
    expect(response.status).toBe(200);
    return response.body as ExcursionView;
  };
  const dispose = (id: string, body: Record<string, unknown>, who: Person = cast.qa) =>
    t.http
      .post(`/api/v1/excursions/${id}/disposition`)
      .set(...bearer(who))
      .send({ comment: 'Reviewed the logger trace and the vial map', password: who.password, ...body });
  const activeHolds = async (vialId: string): Promise<number> =>
    (
      await t.sql.query(
        'SELECT count(*)::int AS n FROM vial_holds WHERE vial_id = $1 AND released_at IS NULL',
        [vialId],
      )
    ).rows[0].n as number;

  it('holds the vials in the tank and one moved in mid-excursion; NO_IMPACT releases them', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { root: tank, box } = await aQuickTank();
    const other = await aBox(t.http, cast.admin);
    const [inTank, alsoInTank] = await freeze(batch, positionsIn(box, 2));
    const [movedIn, elsewhere] = await freeze(batch, positionsIn(other.box, 2));

    // Out of range from 8 to 4 minutes ago, still out at the latest reading: an open excursion.
    expect(
      (await postReadings(t.http, monitor, tank.id, everyMinute(9, [COLD, ...times(5, WARM)]))).status,
    ).toBe(202);
    const [open] = await excursionRowsOf(t.sql, tank.id);
    expect(open.status).toBe('OPEN');
    const flag = await flagWithin(t.http, cast.qa.token, {
      type: 'TEMPERATURE_EXCURSION',
      subjectId: open.id,
    });
    expect(flag).toMatchObject({ clinicId: null, batchId: null, subjectType: 'excursion' });

    expect((await excursion(open.id)).vials.map((v) => [v.id, v.held]).sort()).toEqual(
      [
        [inTank.id, true],
        [alsoInTank.id, true],
      ].sort(),
    );
    const refused = await reserve(batch, [inTank]);
    expect([refused.status, refused.body.code]).toEqual([422, 'VIAL_NOT_AVAILABLE']);

    // Moved into the warm tank while the excursion lasts; the next batch of readings finds it.
    const moved = await t.http
      .post(`/api/v1/vials/${movedIn.id}/move`)
      .set(...bearer(cast.technician))
      .send({ boxId: box.id, row: 9, col: 9, reason: 'Consolidating boxes' });
    expect(moved.status).toBe(200);
    expect(
      (await postReadings(t.http, monitor, tank.id, [{ at: minutesBefore(-1), temperatureC: COLD }])).status,
    ).toBe(202);
    const ended = await excursion(open.id);
    expect(ended.status).toBe('ENDED');
    expect(ended.vials.map((v) => v.id).sort()).toEqual([inTank.id, alsoInTank.id, movedIn.id].sort());
    expect(await activeHolds(movedIn.id)).toBe(1);
    expect(await activeHolds(elsewhere.id)).toBe(0);
    const refusedMoved = await reserve(batch, [movedIn]);
    expect([refusedMoved.status, refusedMoved.body.code]).toEqual([422, 'VIAL_NOT_AVAILABLE']);

    const signed = await dispose(open.id, { outcome: 'NO_IMPACT' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({
      status: 'DISPOSED',
      disposition: {
        outcome: 'NO_IMPACT',
        signerId: cast.qa.id,
        signerName: cast.qa.name,
        recordHash: expect.any(String),
      },
    });
    expect(await activeHolds(inTank.id)).toBe(0);
    expect((await reserve(batch, [inTank])).status).toBe(201);
    await flagWithin(t.http, cast.qa.token, {
      type: 'TEMPERATURE_EXCURSION',
      subjectId: open.id,
      status: 'RESOLVED',
    });
    expect(await flagRowsOf(t, open.id, 'TEMPERATURE_EXCURSION')).toHaveLength(1);
  });

  it('VIALS_COMPROMISED discards the vials still in the bank; a disposition is signed once, by qa, after the end', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { root: tank, box } = await aQuickTank();
    const vials = await freeze(batch, positionsIn(box, 2));
    await postReadings(t.http, monitor, tank.id, everyMinute(9, [COLD, ...times(5, WARM)]));
    const [row] = await excursionRowsOf(t.sql, tank.id);

    const early = await dispose(row.id, { outcome: 'VIALS_COMPROMISED' });
    expect([early.status, early.body.code]).toEqual([409, 'INVALID_TRANSITION']);
    await postReadings(t.http, monitor, tank.id, [{ at: minutesBefore(2), temperatureC: COLD }]);

    const byTechnician = await dispose(row.id, { outcome: 'VIALS_COMPROMISED' }, cast.technician);
    expect(byTechnician.status).toBe(403);
    const wrongPassword = await dispose(row.id, {
      outcome: 'VIALS_COMPROMISED',
      password: 'not-the-password',
    });
    expect([wrongPassword.status, wrongPassword.body.code]).toEqual([422, 'SIGNATURE_INVALID']);
    const badOutcome = await dispose(row.id, { outcome: 'FINE' });
    expect([badOutcome.status, badOutcome.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await excursion(row.id)).status).toBe('ENDED');

    const [first, second] = await Promise.all([
      dispose(row.id, { outcome: 'VIALS_COMPROMISED' }),
      dispose(row.id, { outcome: 'NO_IMPACT' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect([first, second].find((r) => r.status === 409)?.body.code).toBe('ALREADY_DECIDED');
    const winner = [first, second].find((r) => r.status === 200)?.body as ExcursionView & {
      disposition: { outcome: string };
    };
    const statuses = await t.sql.query('SELECT status FROM vials WHERE id = ANY($1::uuid[])', [
      vials.map((v) => v.id),
    ]);
    const expected = winner.disposition.outcome === 'VIALS_COMPROMISED' ? 'DISCARDED' : 'STORED';
    expect(statuses.rows.map((r: { status: string }) => r.status)).toEqual([expected, expected]);
    for (const vial of vials) expect(await activeHolds(vial.id)).toBe(0);
  });

  it('discards on VIALS_COMPROMISED with the comment as the reason', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { root: tank, box } = await aQuickTank();
    const [vial] = await freeze(batch, positionsIn(box, 1));
    await postReadings(t.http, monitor, tank.id, everyMinute(9, [COLD, ...times(5, WARM), COLD]));
    const [row] = await excursionRowsOf(t.sql, tank.id);
    const signed = await dispose(row.id, {
      outcome: 'VIALS_COMPROMISED',
      comment: 'Tank lid left open for 5 min',
    });
    expect(signed.status).toBe(200);
    const stored = await t.sql.query('SELECT status, discard_reason FROM vials WHERE id = $1', [vial.id]);
    expect(stored.rows[0]).toEqual({
      status: 'DISCARDED',
      discard_reason: expect.stringContaining('Tank lid left open for 5 min'),
    });
  });

  it('lists excursions by status for qa only', async () => {
    const list = await t.http
      .get('/api/v1/excursions')
      .query({ status: 'DISPOSED' })
      .set(...bearer(cast.qa));
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    expect(list.body.items.every((e: ExcursionView) => e.status === 'DISPOSED')).toBe(true);
    const byTechnician = await t.http.get('/api/v1/excursions').set(...bearer(cast.technician));
    expect(byTechnician.status).toBe(403);
    const badStatus = await t.http
      .get('/api/v1/excursions')
      .query({ status: 'LOST' })
      .set(...bearer(cast.qa));
    expect(badStatus.status).toBe(400);
  });
});
