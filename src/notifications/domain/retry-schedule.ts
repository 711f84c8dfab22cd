/**
 * When a failed delivery is tried again (webhooks and e-mail alike): exponential back-off from `firstDelayMs`,
 * doubling per attempt up to `maxDelayMs`, with +/-20 % jitter so many receivers that failed together are not
 * retried in one burst. Attempts go on while less than `windowMs` has passed since the window opened (the
 * event, or an admin's manual retry); the first failure at or after that is final. So the last attempt is made
 * at least `windowMs` after the first: with the defaults (5 s, 2 h, 24 h), about 20 attempts over 24 hours.
 */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 5_000,
  maxDelayMs: 2 * 3600_000,
  windowMs: 24 * 3600_000,
};

export type NextAttempt = { kind: 'RETRY'; at: Date } | { kind: 'GIVE_UP' };

const JITTER = 0.2;

/** The delay after the `attemptsMade`-th failed attempt, before jitter. */
export function backoffDelayMs(policy: RetryPolicy, attemptsMade: number): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1)
    throw new RangeError(`attemptsMade must be a positive integer, got ${attemptsMade}`);
  // 2^31 overflows nothing in a double, and min() caps it long before.
  const exponent = Math.min(attemptsMade - 1, 31);
  return Math.min(policy.firstDelayMs * 2 ** exponent, policy.maxDelayMs);
}

/**
 * After a failed attempt at `now`: the next attempt's time, or GIVE_UP once the window has run out.
 * `random` (0..1) picks the jitter; tests pass a constant.
 */
export function nextAttemptAfterFailure(
  policy: RetryPolicy,
  attemptsMade: number,
  windowOpenedAt: Date,
  now: Date,
  random: () => number = Math.random,
): NextAttempt {
  if (now.getTime() - windowOpenedAt.getTime() >= policy.windowMs) return { kind: 'GIVE_UP' };
  const base = backoffDelayMs(policy, attemptsMade);
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * clamp01(random())));
  return { kind: 'RETRY', at: new Date(now.getTime() + Math.max(jittered, 1)) };
}

function clamp01(value: number): number {
  return Math.min(Math.max(value, 0), 1);
}

/** The policy the WEBHOOK_RETRY_* settings describe. */
export function retryPolicyOf(settings: {
  retryFirstDelayMs: number;
  retryMaxDelayMs: number;
  retryWindowSeconds: number;
}): RetryPolicy {
  return {
    firstDelayMs: settings.retryFirstDelayMs,
    maxDelayMs: Math.max(settings.retryMaxDelayMs, settings.retryFirstDelayMs),
    windowMs: settings.retryWindowSeconds * 1000,
  };
}
