/**
 * Account lock-out (docs/http-api.md, "Signing in, roles and clinic scope"; 429): failed logins and failed signatures together, five within fifteen minutes,
 * lock the account for fifteen minutes. A signature is a re-entered password, so guessing it through the
 * release screen must cost the same as guessing it at the login form.
 */
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_DURATION_MS = 15 * 60 * 1000;

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/**
 * Failures after this moment count. A lock that has run out wipes the slate: the attempts that caused it
 * (or raced in beside it) do not count again, so an expired lock is not re-armed by a single typo.
 */
export function countingSince(lockedUntil: Date | null, now: Date): Date {
  const windowStart = now.getTime() - FAILURE_WINDOW_MS;
  const lockEnd = lockedUntil?.getTime() ?? -Infinity;
  return new Date(Math.max(windowStart, lockEnd));
}

/** The lock to set after a failure, or null: only when the count is reached and no lock is running. */
export function lockAfterFailure(failuresCounted: number, lockedUntil: Date | null, now: Date): Date | null {
  if (failuresCounted < MAX_FAILURES || isLocked(lockedUntil, now)) return null;
  return new Date(now.getTime() + LOCK_DURATION_MS);
}
