import { aDonor } from '../support/donor-fixtures';
import {
  aJobsApp,
  aStorageReviewWrittenBehindTheBank,
  decideStorageReviewBehindTheBank,
  eventJobsDone,
  flagRowsOf,
  flagWithin,
  JobsTestApp,
  runSweep,
} from '../support/flag-fixtures';
import { aCast, Cast } from '../support/people';
import { aDose, aReleasedBatch } from '../support/release-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Flags that time alone makes due or ends: the sweeps catch them. The app's clock is fixed and moved by the
 * test; sweeps run on demand through POST /jobs/:name/run.
 */
describe('flags that time makes due or ends (sweeps)', () => {
  let t: JobsTestApp;
  let cast: Cast;

  const moveClockTo = (at: number): void => t.clock!.set(new Date(at));

  beforeAll(async () => {
    t = await aJobsApp({}, { clock: new Date() });
    cast = await aCast(t.http);
  }, 60_000);
  beforeEach(() => moveClockTo(Date.now()));
  afterAll(async () => {
    await t.dispose();
  });

  it('raises DOSE_EXPIRING when the expiry sweep finds a dose in its last 6 hours, and resolves it once the dose expired', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, batch.id);
    await eventJobsDone(t, cast.admin, 'expiry', dose.id);
    const expiresAt = Date.parse(dose.expiresAt);

    moveClockTo(expiresAt - 7 * HOUR);
    expect((await runSweep(t.http, cast.admin, 'expiry')).raised).toBe(0);
    expect(await flagRowsOf(t, dose.id)).toEqual([]);

    moveClockTo(expiresAt - 5 * HOUR);
    const swept = await runSweep(t.http, cast.admin, 'expiry');
    expect(swept).toMatchObject({ raised: 1, resolved: 0 });
    const flag = await flagWithin(t.http, cast.doctor.token, { type: 'DOSE_EXPIRING', subjectId: dose.id });
    expect(flag.raisedAt).toBe(new Date(expiresAt - 5 * HOUR).toISOString());

    // A second sweep in the window changes nothing (one open flag per subject).
    expect((await runSweep(t.http, cast.admin, 'expiry')).raised).toBe(0);

    moveClockTo(expiresAt + 1000);
    expect(await runSweep(t.http, cast.admin, 'expiry')).toMatchObject({ resolved: 1 });
    const resolved = await flagWithin(t.http, cast.doctor.token, {
      type: 'DOSE_EXPIRING',
      subjectId: dose.id,
      status: 'RESOLVED',
    });
    expect(resolved).toMatchObject({ id: flag.id, resolution: 'CONDITION_ENDED' });

    // Expired is for good: later sweeps never raise it again.
    moveClockTo(expiresAt + 2 * HOUR);
    await runSweep(t.http, cast.admin, 'expiry');
    expect(await flagRowsOf(t, dose.id)).toHaveLength(1);
  });

  it("ends READY_FOR_INJECTION when the batch's shelf life ends (readiness sweep)", async () => {
    const batch = await aReleasedBatch(t.http, cast);
    await aDose(t.http, cast, batch.id);
    const flag = await flagWithin(t.http, cast.doctor.token, {
      type: 'READY_FOR_INJECTION',
      subjectId: batch.id,
    });

    moveClockTo(Date.parse(batch.expiresAt) - 60_000);
    expect((await runSweep(t.http, cast.admin, 'readiness')).resolved).toBe(0);

    moveClockTo(Date.parse(batch.expiresAt) + 1000);
    expect((await runSweep(t.http, cast.admin, 'readiness')).resolved).toBeGreaterThanOrEqual(1);
    const resolved = await flagWithin(t.http, cast.doctor.token, {
      type: 'READY_FOR_INJECTION',
      subjectId: batch.id,
      status: 'RESOLVED',
    });
    expect(resolved.id).toBe(flag.id);
    const view = await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set('Authorization', `Bearer ${cast.doctor.token}`);
    expect(view.body.readyForInjection).toBe(false);
  });

  it('raises STORAGE_REVIEW_DUE when a review due within 30 days is announced, and resolves it once the review is decided', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const reviewId = await aStorageReviewWrittenBehindTheBank(
      t,
      { id: donor.id, clinicId: cast.clinic.id },
      new Date(Date.now() + 10 * DAY),
    );
    const flag = await flagWithin(t.http, cast.qa.token, { type: 'STORAGE_REVIEW_DUE', subjectId: reviewId });
    expect(flag).toMatchObject({
      subjectType: 'storage_review',
      reviewId,
      batchId: null,
      clinicId: cast.clinic.id,
      details: { donorId: donor.id, donorCode: donor.code },
    });
    await flagWithin(t.http, cast.doctor.token, { type: 'STORAGE_REVIEW_DUE', subjectId: reviewId });

    await decideStorageReviewBehindTheBank(t, reviewId, donor.id, cast.qa.id);
    await flagWithin(t.http, cast.qa.token, {
      type: 'STORAGE_REVIEW_DUE',
      subjectId: reviewId,
      status: 'RESOLVED',
    });
  });

  it('raises STORAGE_REVIEW_DUE by the sweep once time brings the review within 30 days', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const dueAt = Date.now() + 40 * DAY;
    const reviewId = await aStorageReviewWrittenBehindTheBank(
      t,
      { id: donor.id, clinicId: cast.clinic.id },
      new Date(dueAt),
    );
    await eventJobsDone(t, cast.admin, 'storage-review', reviewId);
    expect(await flagRowsOf(t, reviewId)).toEqual([]);

    moveClockTo(dueAt - 31 * DAY);
    expect((await runSweep(t.http, cast.admin, 'storage-review')).raised).toBe(0);
    moveClockTo(dueAt - 29 * DAY);
    expect((await runSweep(t.http, cast.admin, 'storage-review')).raised).toBe(1);
    await flagWithin(t.http, cast.qa.token, { type: 'STORAGE_REVIEW_DUE', subjectId: reviewId });
    // Past due it stays the one open flag until decided.
    moveClockTo(dueAt + DAY);
    await runSweep(t.http, cast.admin, 'storage-review');
    expect(await flagRowsOf(t, reviewId)).toEqual([expect.objectContaining({ status: 'OPEN' })]);
  });
});
