import {
  addCalendarMonths,
  dueOnWithdrawal,
  nextReviewAt,
  scheduleInProgress,
} from '../../../src/bank/domain/review-schedule';
import {
  dueHorizon,
  reviewStatus,
  ReviewStatus,
  StoredReviewStatus,
} from '../../../src/bank/domain/review-status';

const TOKYO = 'Asia/Tokyo';

describe('review dates: calendar months in the facility time zone', () => {
  it('adds 12 months keeping the local wall-clock time', () => {
    expect(addCalendarMonths(new Date('2026-11-24T01:30:00Z'), 12, TOKYO).toISOString()).toBe(
      '2027-11-24T01:30:00.000Z',
    );
  });

  it('counts the month where the CPC is: 31 March 23:00 UTC is 1 April in Tokyo', () => {
    // 2026-03-31T23:00Z = 2026-04-01 08:00 JST; one month later is 1 May 08:00 JST.
    expect(addCalendarMonths(new Date('2026-03-31T23:00:00Z'), 1, TOKYO).toISOString()).toBe(
      '2026-04-30T23:00:00.000Z',
    );
  });

  it('ends on the last day of a shorter month (31 January + 1 month, leap and common years)', () => {
    expect(addCalendarMonths(new Date('2027-01-31T03:00:00Z'), 1, TOKYO).toISOString()).toBe(
      '2027-02-28T03:00:00.000Z',
    );
    expect(addCalendarMonths(new Date('2028-01-31T03:00:00Z'), 1, TOKYO).toISOString()).toBe(
      '2028-02-29T03:00:00.000Z',
    );
    expect(addCalendarMonths(new Date('2028-02-29T03:00:00Z'), 12, TOKYO).toISOString()).toBe(
      '2029-02-28T03:00:00.000Z',
    );
  });

  it('crosses years both ways and keeps milliseconds', () => {
    expect(addCalendarMonths(new Date('2026-12-15T00:00:00.123Z'), 14, TOKYO).toISOString()).toBe(
      '2028-02-15T00:00:00.123Z',
    );
    expect(addCalendarMonths(new Date('2026-01-15T00:00:00Z'), -2, TOKYO).toISOString()).toBe(
      '2025-11-15T00:00:00.000Z',
    );
  });

  it('keeps the local time across a daylight-saving change', () => {
    // 09:00 EST in January is 14:00Z; 09:00 EDT in July is 13:00Z.
    expect(addCalendarMonths(new Date('2026-01-10T14:00:00Z'), 6, 'America/New_York').toISOString()).toBe(
      '2026-07-10T13:00:00.000Z',
    );
  });

  it('refuses a fractional number of months', () => {
    expect(() => addCalendarMonths(new Date(), 1.5, TOKYO)).toThrow(RangeError);
  });
});

describe('nextReviewAt: the earlier of the periodic date and the banking consent ending', () => {
  const base = new Date('2026-06-01T00:00:00Z');
  const at = new Date('2026-06-02T00:00:00Z');
  const input = (consent: { banking: boolean; bankingExpiresAt: Date | null } | null) =>
    nextReviewAt({ reviewBase: base, intervalMonths: 12, timeZone: TOKYO, consent, at });

  it('is 12 months after the base under an open-ended consent', () => {
    expect(input({ banking: true, bankingExpiresAt: null }).toISOString()).toBe('2027-06-01T00:00:00.000Z');
  });

  it("is the consent's expiry when that comes first, and the periodic date otherwise", () => {
    const early = new Date('2026-12-01T00:00:00Z');
    expect(input({ banking: true, bankingExpiresAt: early })).toEqual(early);
    expect(input({ banking: true, bankingExpiresAt: new Date('2030-01-01T00:00:00Z') }).toISOString()).toBe(
      '2027-06-01T00:00:00.000Z',
    );
  });

  it('is due at once without banking consent', () => {
    expect(input({ banking: false, bankingExpiresAt: null })).toEqual(at);
    expect(input(null)).toEqual(at);
  });

  it('never postpones a review on withdrawal', () => {
    const withdrawnAt = new Date('2026-08-01T00:00:00Z');
    expect(dueOnWithdrawal(new Date('2027-06-01T00:00:00Z'), withdrawnAt)).toEqual(withdrawnAt);
    expect(dueOnWithdrawal(new Date('2026-07-01T00:00:00Z'), withdrawnAt)).toEqual(
      new Date('2026-07-01T00:00:00Z'),
    );
  });
});

describe('review status', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('is DUE within 30 days or past, PENDING later, DECIDED once decided', () => {
    expect(reviewStatus(StoredReviewStatus.PENDING, new Date('2026-07-01T00:00:00Z'), now)).toBe(
      ReviewStatus.DUE,
    );
    expect(reviewStatus(StoredReviewStatus.PENDING, new Date('2026-07-01T00:00:00.001Z'), now)).toBe(
      ReviewStatus.PENDING,
    );
    expect(reviewStatus(StoredReviewStatus.PENDING, new Date('2025-01-01T00:00:00Z'), now)).toBe(
      ReviewStatus.DUE,
    );
    expect(reviewStatus(StoredReviewStatus.DECIDED, new Date('2025-01-01T00:00:00Z'), now)).toBe(
      ReviewStatus.DECIDED,
    );
    expect(dueHorizon(now).toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });
});

describe('a legacy vial: the next anniversary of its freezing', () => {
  const at = new Date('2026-12-04T02:00:00Z');

  it('is the first anniversary after the import, based on the one before', () => {
    // 2019-05-01 10:00 in Tokyo; seven anniversaries have passed by December 2026.
    const frozenAt = new Date('2019-05-01T01:00:00Z');
    expect(scheduleInProgress(frozenAt, 12, TOKYO, at)).toEqual({
      dueAt: new Date('2027-05-01T01:00:00Z'),
      since: new Date('2026-05-01T01:00:00Z'),
    });
  });

  it('is the first anniversary, from the freezing, for a vial frozen less than a period ago', () => {
    const frozenAt = new Date('2026-06-10T00:00:00Z');
    expect(scheduleInProgress(frozenAt, 12, TOKYO, at)).toEqual({
      dueAt: new Date('2027-06-10T00:00:00Z'),
      since: frozenAt,
    });
  });

  it('is never the import itself: an anniversary falling exactly then is past, the next one is due', () => {
    const frozenAt = new Date('2016-12-04T02:00:00Z');
    expect(scheduleInProgress(frozenAt, 12, TOKYO, at)).toEqual({
      dueAt: new Date('2027-12-04T02:00:00Z'),
      since: at,
    });
  });

  it('counts from the freezing, so 29 February comes back in leap years', () => {
    // 2016-02-29 09:00 in Tokyo; in 2027 the anniversary is 28 February, in 2028 the 29th again.
    const frozenAt = new Date('2016-02-29T00:00:00Z');
    expect(scheduleInProgress(frozenAt, 12, TOKYO, at).dueAt).toEqual(new Date('2027-02-28T00:00:00Z'));
    expect(scheduleInProgress(frozenAt, 12, TOKYO, new Date('2027-03-01T00:00:00Z'))).toEqual({
      dueAt: new Date('2028-02-29T00:00:00Z'),
      since: new Date('2027-02-28T00:00:00Z'),
    });
  });

  it('follows another interval, and a freezing decades back', () => {
    const frozenAt = new Date('1990-01-31T03:00:00Z');
    expect(scheduleInProgress(frozenAt, 6, TOKYO, at)).toEqual({
      dueAt: new Date('2027-01-31T03:00:00Z'),
      since: new Date('2026-07-31T03:00:00Z'),
    });
    expect(() => scheduleInProgress(frozenAt, 0, TOKYO, at)).toThrow(RangeError);
  });
});
