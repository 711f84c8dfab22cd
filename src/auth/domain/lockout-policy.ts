import { AuthSettings } from '../../../config/environment';

/**
 * Account lock-out (docs/operations.md, "Security"; 429): failed logins and failed signatures together.
 * `maxFailures` from one source within the window lock the account for that source; `accountMaxFailures`
 * from all sources lock it for everyone. A signature is a re-entered password, so guessing it through the
 * release screen costs the same as guessing it at the login form.
 */
export interface LockoutLimits {
  maxFailures: number;
  accountMaxFailures: number;
  windowMs: number;
  lockMs: number;
}

export function lockoutLimits(settings: AuthSettings): LockoutLimits {
  return {
    maxFailures: settings.maxFailures,
    accountMaxFailures: settings.accountMaxFailures,
    windowMs: settings.windowMinutes * 60_000,
    lockMs: settings.lockMinutes * 60_000,
  };
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/**
 * Failures after this moment count. A lock that has run out (or was lifted) wipes the slate: the attempts
 * that caused it do not count again, so an expired lock is not re-armed by a single typo.
 */
export function countingSince(lastLockEnd: Date | null, now: Date, limits: LockoutLimits): Date {
  const windowStart = now.getTime() - limits.windowMs;
  return new Date(Math.max(windowStart, lastLockEnd?.getTime() ?? -Infinity));
}

/** The later of two lock ends (either may be missing). */
export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
