import {
  elapsedMonths,
  followUpWindows,
  monthsAfter,
  nextWindowEdgeAfter,
  openWindowAt,
} from '../../../src/outcomes/domain/follow-up-schedule';

const TZ = 'Asia/Tokyo';
const D = 86_400_000;
// 10:00 in Tokyo on 15 January 2026
const ADMINISTERED = new Date('2026-01-15T01:00:00Z');
const plusDays = (date: Date, days: number): Date => new Date(date.getTime() + days * D);

describe('follow-up windows', () => {
  const windows = followUpWindows(ADMINISTERED, TZ);

  it('are due 3, 6, 12 and 24 calendar months after the administration, 30 days either side', () => {
    expect(windows.map((w) => [w.month, w.dueAt.toISOString()])).toEqual([
      [3, '2026-04-15T01:00:00.000Z'],
      [6, '2026-07-15T01:00:00.000Z'],
      [12, '2027-01-15T01:00:00.000Z'],
      [24, '2028-01-15T01:00:00.000Z'],
    ]);
    expect(windows[0].opensAt.toISOString()).toBe('2026-03-16T01:00:00.000Z');
    expect(windows[0].closesAt.toISOString()).toBe('2026-05-15T01:00:00.000Z');
  });

  it('counts a window open from its first instant and closed at its last', () => {
    expect(openWindowAt(windows, windows[1].opensAt)?.month).toBe(6);
    expect(openWindowAt(windows, new Date(windows[1].opensAt.getTime() - 1))).toBeNull();
    expect(openWindowAt(windows, windows[1].closesAt)).toBeNull();
  });

  it('names the next edge to wake up at, and none after the last window', () => {
    expect(nextWindowEdgeAfter(windows, ADMINISTERED)?.toISOString()).toBe('2026-03-16T01:00:00.000Z');
    expect(nextWindowEdgeAfter(windows, windows[0].opensAt)?.toISOString()).toBe('2026-05-15T01:00:00.000Z');
    expect(nextWindowEdgeAfter(windows, windows[3].closesAt)).toBeNull();
  });

  it('keeps the month end: 31 August plus 6 months is the end of February', () => {
    const endOfAugust = new Date('2026-08-31T01:00:00Z');
    expect(followUpWindows(endOfAugust, TZ)[1].dueAt.toISOString()).toBe('2027-02-28T01:00:00.000Z');
  });
});

describe('monthsAfter', () => {
  it('is exactly the follow-up month on its due date', () => {
    expect(monthsAfter(ADMINISTERED, new Date('2026-04-15T01:00:00Z'), TZ)).toBe(3);
    expect(elapsedMonths(ADMINISTERED, new Date('2026-04-15T01:00:00Z'), TZ)).toBe(3);
  });

  it('rounds to the nearest of 3, 6, 12, 24', () => {
    expect(monthsAfter(ADMINISTERED, plusDays(ADMINISTERED, 20), TZ)).toBe(3);
    expect(monthsAfter(ADMINISTERED, new Date('2026-05-29T01:00:00Z'), TZ)).toBe(3); // 4.45 months
    expect(monthsAfter(ADMINISTERED, new Date('2026-06-03T01:00:00Z'), TZ)).toBe(6); // 4.6 months
    expect(monthsAfter(ADMINISTERED, new Date('2026-10-16T01:00:00Z'), TZ)).toBe(12); // 9.03 months
    expect(monthsAfter(ADMINISTERED, new Date('2027-07-15T01:00:00Z'), TZ)).toBe(12); // 18 months: the tie
    expect(monthsAfter(ADMINISTERED, new Date('2027-08-15T01:00:00Z'), TZ)).toBe(24);
  });

  it('takes the tie between two follow-up months as the earlier', () => {
    expect(monthsAfter(ADMINISTERED, new Date('2026-10-15T01:00:00Z'), TZ)).toBe(6); // 9 months exactly
  });

  it('is the 24-month follow-up until its window closes, then the months rounded', () => {
    expect(monthsAfter(ADMINISTERED, new Date('2028-02-13T01:00:00Z'), TZ)).toBe(24); // 29 days late
    expect(monthsAfter(ADMINISTERED, new Date('2028-02-14T01:00:00Z'), TZ)).toBe(25); // 30 days: closed
    expect(monthsAfter(ADMINISTERED, new Date('2029-01-01T01:00:00Z'), TZ)).toBe(36); // 35.5 months
    expect(monthsAfter(ADMINISTERED, new Date('2029-07-15T01:00:00Z'), TZ)).toBe(42);
  });
});
