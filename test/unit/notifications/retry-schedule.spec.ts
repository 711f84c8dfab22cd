import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  nextAttemptAfterFailure,
  RetryPolicy,
} from '../../../src/notifications/domain/retry-schedule';

const HOUR = 3600_000;
const noJitter = () => 0.5;

describe('retry schedule: exponential back-off for at least the window, then give up', () => {
  it('doubles the delay from the first and caps it', () => {
    const delays = [1, 2, 3, 4, 10, 11, 12, 40].map((n) => backoffDelayMs(DEFAULT_RETRY_POLICY, n));
    expect(delays.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(delays[4]).toBe(5_000 * 2 ** 9);
    expect(delays[6]).toBe(2 * HOUR);
    expect(delays[7]).toBe(2 * HOUR);
  });

  it('refuses a nonsensical attempt count', () => {
    expect(() => backoffDelayMs(DEFAULT_RETRY_POLICY, 0)).toThrow(RangeError);
  });

  it('keeps jitter within 20 % of the delay', () => {
    const now = new Date('2026-11-24T00:00:00Z');
    const at = (random: number) => {
      const next = nextAttemptAfterFailure(DEFAULT_RETRY_POLICY, 3, now, now, () => random);
      if (next.kind !== 'RETRY') throw new Error('expected a retry');
      return next.at.getTime() - now.getTime();
    };
    expect(at(0)).toBe(16_000);
    expect(at(1)).toBe(24_000);
    expect(at(0.5)).toBe(20_000);
  });

  it('goes on retrying until the window has passed, so the last attempt is at least 24 h after the first', () => {
    const opened = new Date('2026-11-24T00:00:00Z');
    let now = opened;
    const attempts: Date[] = [now];
    for (let made = 1; ; made++) {
      const next = nextAttemptAfterFailure(DEFAULT_RETRY_POLICY, made, opened, now, noJitter);
      if (next.kind === 'GIVE_UP') break;
      now = next.at;
      attempts.push(now);
      if (attempts.length > 100) throw new Error('never gave up');
    }
    const span = attempts[attempts.length - 1].getTime() - opened.getTime();
    expect(span).toBeGreaterThanOrEqual(24 * HOUR);
    expect(span).toBeLessThan(24 * HOUR + 2 * HOUR);
    expect(attempts.length).toBeGreaterThan(15);
    expect(attempts.length).toBeLessThan(30);
  });

  it('gives up on the first failure at or after the window, not before', () => {
    const policy: RetryPolicy = { firstDelayMs: 100, maxDelayMs: 1000, windowMs: 10_000 };
    const opened = new Date(0);
    expect(nextAttemptAfterFailure(policy, 5, opened, new Date(9_999), noJitter).kind).toBe('RETRY');
    expect(nextAttemptAfterFailure(policy, 5, opened, new Date(10_000), noJitter).kind).toBe('GIVE_UP');
  });
});
