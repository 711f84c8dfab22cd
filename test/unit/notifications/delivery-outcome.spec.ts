import { afterAttempt } from '../../../src/notifications/domain/delivery-outcome';
import { RetryPolicy } from '../../../src/notifications/domain/retry-schedule';

const policy: RetryPolicy = { firstDelayMs: 1000, maxDelayMs: 60_000, windowMs: 3600_000 };
const opened = new Date('2026-11-24T00:00:00Z');
const half = () => 0.5;

describe('what an attempt makes of a delivery', () => {
  it('a 2xx delivers it', () => {
    const at = new Date('2026-11-24T00:00:01Z');
    expect(
      afterAttempt(
        policy,
        { attempts: 0, windowOpenedAt: opened },
        { succeeded: true, responseStatus: 204, error: null },
        at,
      ),
    ).toEqual({
      state: 'DELIVERED',
      attempts: 1,
      responseStatus: 204,
      lastError: null,
      lastAttemptAt: at,
      nextAttemptAt: null,
      deliveredAt: at,
    });
  });

  it('a failure inside the window schedules the next attempt with back-off and keeps the status', () => {
    const at = new Date('2026-11-24T00:10:00Z');
    const update = afterAttempt(
      policy,
      { attempts: 2, windowOpenedAt: opened },
      { succeeded: false, responseStatus: 503, error: null },
      at,
      half,
    );
    expect(update.state).toBe('PENDING');
    expect(update.attempts).toBe(3);
    expect(update.lastError).toBe('answered 503');
    expect(update.nextAttemptAt?.getTime()).toBe(at.getTime() + 4000);
  });

  it('a failure after the window fails it for good', () => {
    const at = new Date('2026-11-24T01:00:00Z');
    const update = afterAttempt(
      policy,
      { attempts: 30, windowOpenedAt: opened },
      { succeeded: false, responseStatus: null, error: 'no answer within 10000 ms' },
      at,
    );
    expect(update).toMatchObject({
      state: 'FAILED',
      attempts: 31,
      nextAttemptAt: null,
      lastError: 'no answer within 10000 ms',
    });
  });
});
