import { addCalendarMonths } from '../../src/bank/domain/review-schedule';
import {
  aBankedBatch,
  aBooster,
  aBox,
  BankedBatch,
  frozenVials,
  positionsIn,
} from '../support/bank-fixtures';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 24 * 3_600_000;

interface Review {
  id: string;
  donorId: string;
  clinicId: string;
  dueAt: string;
  status: string;
  outcome: string | null;
  vials: { id: string; label: string; status: string; nextReviewAt: string | null }[];
}

describe('cell bank: storage reviews', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  const consent = (donorId: string, body: Record<string, unknown>) =>
    t.http
      .post(`/api/v1/donors/${donorId}/consents`)
      .set(...bearer(cast.doctor))
      .send({ treatment: true, signedAt: new Date(Date.now() - 60_000).toISOString(), ...body })
      .expect(201);
  const reviewsOf = async (donorId: string, status?: string): Promise<Review[]> => {
    const query = `clinicId=${cast.clinic.id}&limit=200${status ? `&status=${status}` : ''}`;
    const response = await t.http
      .get(`/api/v1/storage-reviews?${query}`)
      .set(...bearer(cast.qa))
      .expect(200);
    return (response.body.items as Review[]).filter((review) => review.donorId === donorId);
  };
  const decide = (reviewId: string, body: Record<string, unknown>, who: Person = cast.qa) =>
    t.http
      .post(`/api/v1/storage-reviews/${reviewId}/decision`)
      .set(...bearer(who))
      .send(body);
  const vial = async (id: string) =>
    (
      await t.http
        .get(`/api/v1/vials/${id}`)
        .set(...bearer(cast.qa))
        .expect(200)
    ).body;

  /** A banked batch whose donor's banking consent expires in `days` days (so its review is due then). */
  async function bankedExpiringIn(days: number, vials = 2): Promise<BankedBatch & { expiresAt: string }> {
    const batch = await aCultureCompleteBatch(t.http, cast);
    const expiresAt = new Date(Date.now() + days * DAY).toISOString();
    await consent(batch.donorId, { banking: true, bankingExpiresAt: expiresAt });
    const { box } = await aBox(t.http, cast.admin);
    return {
      batch,
      box,
      vials: await frozenVials(t.http, cast.technician, batch.id, positionsIn(box, vials)),
      expiresAt,
    };
  }

  describe('GET /storage-reviews', () => {
    it('keeps one review per donor and due date, created with the freezing: PENDING a year ahead, DUE within 30 days', async () => {
      const yearly = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const [pending] = await reviewsOf(yearly.batch.donorId);
      expect(pending).toMatchObject({
        status: 'PENDING',
        clinicId: cast.clinic.id,
        dueAt: yearly.vials[0].nextReviewAt,
        outcome: null,
      });
      expect(pending.vials.map((v) => v.label).sort()).toEqual(yearly.vials.map((v) => v.label).sort());

      const soon = await bankedExpiringIn(10);
      const due = await reviewsOf(soon.batch.donorId, 'DUE');
      expect(due).toEqual([expect.objectContaining({ status: 'DUE', dueAt: soon.expiresAt })]);
      expect(await reviewsOf(soon.batch.donorId, 'PENDING')).toEqual([]);
      expect(await reviewsOf(yearly.batch.donorId, 'DUE')).toEqual([]);
    });

    it('lists soonest due first', async () => {
      await bankedExpiringIn(20, 1);
      await bankedExpiringIn(5, 1);
      const response = await t.http
        .get('/api/v1/storage-reviews?status=DUE&limit=200')
        .set(...bearer(cast.admin))
        .expect(200);
      const dues = (response.body.items as Review[]).map((review) => Date.parse(review.dueAt));
      expect(dues).toEqual([...dues].sort((a, b) => a - b));
    });

    it('is for admin and qa (403 otherwise) and checks its filters (400)', async () => {
      for (const who of [cast.technician, cast.doctor])
        await t.http
          .get('/api/v1/storage-reviews')
          .set(...bearer(who))
          .expect(403);
      const bad = await t.http
        .get('/api/v1/storage-reviews?status=LATE')
        .set(...bearer(cast.qa))
        .expect(400);
      expect(bad.body.details.fields[0].field).toBe('status');
    });
  });

  describe('POST /storage-reviews/:id/decision', () => {
    it('RETAIN moves the vials to decision + 12 months in a new review, and records the decision once', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const [review] = await reviewsOf(banked.batch.donorId);
      const response = await decide(review.id, { outcome: 'RETAIN', notes: 'Fees paid' }).expect(200);
      expect(response.body).toMatchObject({
        id: review.id,
        status: 'DECIDED',
        outcome: 'RETAIN',
        notes: 'Fees paid',
      });
      expect(response.body.vials).toHaveLength(2);
      const decidedAt = new Date(response.body.decidedAt);
      const retained = await vial(banked.vials[0].id);
      expect(retained.nextReviewAt).toBe(addCalendarMonths(decidedAt, 12, 'Asia/Tokyo').toISOString());
      expect(retained.reviewId).not.toBe(review.id);
      expect(retained.history.at(-1)).toMatchObject({ event: 'REVIEW_RESCHEDULED', actorId: cast.qa.id });
      const open = await reviewsOf(banked.batch.donorId, 'PENDING');
      expect(open).toEqual([
        expect.objectContaining({ id: retained.reviewId, dueAt: retained.nextReviewAt }),
      ]);

      const again = await decide(review.id, { outcome: 'DISPOSE' }).expect(409);
      expect(again.body.code).toBe('ALREADY_DECIDED');
      const audit = await t.sql.query(`SELECT action FROM audit_entries WHERE entity_id = $1 ORDER BY seq`, [
        review.id,
      ]);
      expect(audit.rows.map((r: { action: string }) => r.action)).toEqual([
        'storage_review.created',
        'storage_review.decided',
      ]);
    });

    it("RETAIN keeps the review at the consent's expiry when that comes first", async () => {
      const soon = await bankedExpiringIn(10);
      const [review] = await reviewsOf(soon.batch.donorId, 'DUE');
      await decide(review.id, { outcome: 'RETAIN' }).expect(200);
      expect((await vial(soon.vials[0].id)).nextReviewAt).toBe(soon.expiresAt);
    });

    it('RETAIN needs banking consent in force (422 CONSENT_MISSING)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      await consent(banked.batch.donorId, { banking: false });
      const [review] = await reviewsOf(banked.batch.donorId, 'DUE');
      const response = await decide(review.id, { outcome: 'RETAIN' }).expect(422);
      expect(response.body.code).toBe('CONSENT_MISSING');
      expect((await reviewsOf(banked.batch.donorId, 'DUE')).map((r) => r.id)).toEqual([review.id]);
    });

    it('DISPOSE discards the vials and frees their positions', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const [review] = await reviewsOf(banked.batch.donorId);
      const response = await decide(review.id, {
        outcome: 'DISPOSE',
        notes: 'Patient asked for disposal',
      }).expect(200);
      expect(response.body.vials.map((v: { status: string }) => v.status)).toEqual([
        'DISCARDED',
        'DISCARDED',
      ]);
      const discarded = await vial(banked.vials[0].id);
      expect(discarded).toMatchObject({ status: 'DISCARDED', position: null });
      expect(discarded.history.at(-1)).toMatchObject({
        event: 'DISCARDED',
        actorId: cast.qa.id,
        reason: expect.stringContaining('DISPOSE'),
      });
      const free = await t.http
        .get(`/api/v1/storage-units/${banked.box.id}/free-positions?count=1`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(free.body).toEqual([{ boxId: banked.box.id, row: 1, col: 1 }]);
    });

    it('DISPOSE is refused while a vial is reserved for a booster (409 INVALID_TRANSITION)', async () => {
      const banked = await aBankedBatch(t.http, cast, { vials: 2 });
      await aBooster(t.http, cast.doctor, banked.batch.donorId, [banked.vials[0].id]);
      const [review] = await reviewsOf(banked.batch.donorId);
      const response = await decide(review.id, { outcome: 'DISPOSE' }).expect(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
      expect((await vial(banked.vials[1].id)).status).toBe('STORED');
    });

    it('lets exactly one of concurrent decisions win (409 ALREADY_DECIDED for the others)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const [review] = await reviewsOf(banked.batch.donorId);
      const answers = await Promise.all([
        decide(review.id, { outcome: 'RETAIN' }),
        decide(review.id, { outcome: 'DISPOSE' }),
        decide(review.id, { outcome: 'RETAIN' }),
        decide(review.id, { outcome: 'DISPOSE' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'ALREADY_DECIDED')).toBe(
        true,
      );
      const decisions = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'storage_review.decided'`,
        [review.id],
      );
      expect(decisions.rows[0].n).toBe(1);
    });

    it('is refused by the database itself once decided, whoever tries', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const [review] = await reviewsOf(banked.batch.donorId);
      await decide(review.id, { outcome: 'RETAIN' }).expect(200);
      await expect(
        t.sql.query(`UPDATE storage_reviews SET outcome = 'DISPOSE' WHERE id = $1`, [review.id]),
      ).rejects.toThrow(/decided already/);
    });

    it('is for qa only (403), checks its input (400) and the review (404)', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      const [review] = await reviewsOf(banked.batch.donorId);
      for (const who of [cast.technician, cast.doctor])
        await decide(review.id, { outcome: 'RETAIN' }, who).expect(403);
      await t.http
        .post(`/api/v1/storage-reviews/${review.id}/decision`)
        .set(...bearer(cast.admin))
        .send({ outcome: 'RETAIN' })
        .expect(403);
      const bad = await decide(review.id, { outcome: 'KEEP' }).expect(400);
      expect(bad.body.details.fields[0].field).toBe('outcome');
      await decide('00000000-0000-4000-8000-000000000000', { outcome: 'RETAIN' }).expect(404);
      expect((await reviewsOf(banked.batch.donorId))[0].status).toBe('PENDING');
    });
  });

  describe('banking consent (rule 2)', () => {
    it('makes the vials due at once when banking consent is withdrawn, in the same transaction', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 2 });
      const [before] = await reviewsOf(banked.batch.donorId);
      const withdrawal = await consent(banked.batch.donorId, { banking: false });
      const withdrawnAt = Date.parse(withdrawal.body.recordedAt ?? new Date().toISOString());
      const withdrawn = await vial(banked.vials[0].id);
      expect(Math.abs(Date.parse(withdrawn.nextReviewAt) - withdrawnAt)).toBeLessThan(5_000);
      expect(withdrawn.history.at(-1)).toMatchObject({
        event: 'REVIEW_RESCHEDULED',
        reason: expect.stringContaining('withdrawn'),
      });
      const due = await reviewsOf(banked.batch.donorId, 'DUE');
      expect(due).toEqual([expect.objectContaining({ dueAt: withdrawn.nextReviewAt })]);
      expect(due[0].vials).toHaveLength(2);
      const old = await t.http
        .get(`/api/v1/storage-reviews/${before.id}`)
        .set(...bearer(cast.qa))
        .expect(200);
      expect(old.body).toMatchObject({ status: 'DECIDED', outcome: 'NO_VIALS_LEFT' });
    });

    it("moves the vials' review to a new banking expiry, and back to the yearly date when the consent is renewed", async () => {
      const soon = await bankedExpiringIn(10, 1);
      const yearly = addCalendarMonths(
        new Date((await vial(soon.vials[0].id)).frozenAt),
        12,
        'Asia/Tokyo',
      ).toISOString();
      await consent(soon.batch.donorId, {
        banking: true,
        bankingExpiresAt: new Date(Date.now() + 800 * DAY).toISOString(),
      });
      expect((await vial(soon.vials[0].id)).nextReviewAt).toBe(yearly);
      expect(await reviewsOf(soon.batch.donorId, 'DUE')).toEqual([]);
    });

    it('raises the STORAGE_REVIEW_DUE flag for the due review without waiting for a sweep', async () => {
      const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
      await consent(banked.batch.donorId, { banking: false });
      const [review] = await reviewsOf(banked.batch.donorId, 'DUE');
      let flags: { reviewId: string }[] = [];
      for (let i = 0; i < 50 && flags.length === 0; i++) {
        const response = await t.http
          .get('/api/v1/flags?type=STORAGE_REVIEW_DUE&limit=200')
          .set(...bearer(cast.qa))
          .expect(200);
        flags = (response.body.items as { reviewId: string }[]).filter((flag) => flag.reviewId === review.id);
        if (flags.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(flags).toHaveLength(1);
    }, 30_000);
  });

  it('closes a review whose vials all left the tanks (NO_VIALS_LEFT)', async () => {
    const banked = await aBankedBatch(t.http, cast, { released: false, vials: 1 });
    const [review] = await reviewsOf(banked.batch.donorId);
    await t.http
      .post(`/api/v1/vials/${banked.vials[0].id}/discard`)
      .set(...bearer(cast.qa))
      .send({ reason: 'Broken' })
      .expect(200);
    const closed = await t.http
      .get(`/api/v1/storage-reviews/${review.id}`)
      .set(...bearer(cast.admin))
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'DECIDED', outcome: 'NO_VIALS_LEFT', vials: [] });
  });
});
