import { nextAttemptAfterFailure, RetryPolicy } from './retry-schedule';

/** A webhook delivery or an e-mail: pending until it succeeds, failed once its retry window ran out. */
export type DeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface DeliveryProgress {
  attempts: number;
  windowOpenedAt: Date;
}

export interface AttemptResult {
  succeeded: boolean;
  /** The receiver's HTTP status, when it answered. */
  responseStatus: number | null;
  /** Why it failed, for the log: a status, a refusal, a timeout. */
  error: string | null;
}

export interface DeliveryUpdate {
  state: DeliveryState;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  lastAttemptAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/**
 * What one attempt made of a delivery: DELIVERED on success; otherwise PENDING with the next attempt's time,
 * or FAILED once the retry window has passed (retry-schedule.ts).
 */
export function afterAttempt(
  policy: RetryPolicy,
  progress: DeliveryProgress,
  result: AttemptResult,
  at: Date,
  random: () => number = Math.random,
): DeliveryUpdate {
  const attempts = progress.attempts + 1;
  const base = { attempts, responseStatus: result.responseStatus, lastAttemptAt: at };
  if (result.succeeded) {
    return { ...base, state: 'DELIVERED', lastError: null, nextAttemptAt: null, deliveredAt: at };
  }
  const next = nextAttemptAfterFailure(policy, attempts, progress.windowOpenedAt, at, random);
  const lastError =
    result.error ?? (result.responseStatus !== null ? `answered ${result.responseStatus}` : null);
  return next.kind === 'RETRY'
    ? { ...base, state: 'PENDING', lastError, nextAttemptAt: next.at, deliveredAt: null }
    : { ...base, state: 'FAILED', lastError, nextAttemptAt: null, deliveredAt: null };
}
