import { isLotExpiryInput, lotExpiredAt, lotExpiryInstant } from '../../../src/materials/domain/lot-expiry';

describe('lot expiry', () => {
  it('makes a calendar date usable through the end of that day in the facility time zone (Tokyo, UTC+9)', () => {
    expect(lotExpiryInstant('2026-12-31', 'Asia/Tokyo')?.toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  it('carries the next day across month and year ends', () => {
    expect(lotExpiryInstant('2026-02-28', 'Asia/Tokyo')?.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(lotExpiryInstant('2026-01-31', 'UTC')?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('settles the offset across a daylight-saving change (New York, spring forward on 2026-03-08)', () => {
    // The day after 2026-03-08 starts at 00:00 EDT (UTC-4).
    expect(lotExpiryInstant('2026-03-08', 'America/New_York')?.toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    // The day after 2026-03-07 starts at 00:00 EST (UTC-5).
    expect(lotExpiryInstant('2026-03-07', 'America/New_York')?.toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
  });

  it('takes a timestamp with a zone as the instant itself', () => {
    expect(lotExpiryInstant('2026-12-31T12:00:00+09:00', 'Asia/Tokyo')?.toISOString()).toBe(
      '2026-12-31T03:00:00.000Z',
    );
  });

  it('refuses impossible dates and timestamps without a zone', () => {
    for (const input of ['2026-02-30', '2026-13-01', '2026-1-01', '2026-12-31T12:00:00', 'tomorrow', '']) {
      expect(isLotExpiryInput(input)).toBe(false);
      expect(lotExpiryInstant(input, 'Asia/Tokyo')).toBeNull();
    }
    expect(isLotExpiryInput(20261231)).toBe(false);
    expect(isLotExpiryInput('2024-02-29')).toBe(true);
  });

  it('counts a lot as expired from its exclusive end instant on', () => {
    const expiresAt = new Date('2026-12-31T15:00:00.000Z');
    expect(lotExpiredAt(expiresAt, new Date('2026-12-31T14:59:59.999Z'))).toBe(false);
    expect(lotExpiredAt(expiresAt, new Date('2026-12-31T15:00:00.000Z'))).toBe(true);
  });
});
