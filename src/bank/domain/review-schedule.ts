import { fromWallClock, wallClock } from '../../common/clock/facility-calendar';

/**
 * When banked cells are reviewed (docs/domain.md, "Storage reviews"): every N months (12 by default) from the vial's
 * review base (its freezing, then each RETAIN decision), and when the donor's banking consent expires or is
 * withdrawn, whichever is earlier. Months are calendar months where the CPC is (FACILITY_TZ): frozen on
 * 31 January in Tokyo, reviewed on the last day of February, at the same wall-clock time.
 */

/** The banking part of the consent in force, as the schedule reads it. */
export interface BankingConsentTerms {
  banking: boolean;
  bankingExpiresAt: Date | null;
}

export interface ReviewScheduleInput {
  /** frozenAt, or the time of the last RETAIN decision. */
  reviewBase: Date;
  intervalMonths: number;
  timeZone: string;
  /** The donor's consent in force, or null when there is none. */
  consent: BankingConsentTerms | null;
  /** The command's time: the due date when there is no banking consent (due at once). */
  at: Date;
}

/** The review date of a vial: the earlier of base + interval and the consent's expiry; `at` without consent. */
export function nextReviewAt(input: ReviewScheduleInput): Date {
  const { consent } = input;
  if (consent === null || !consent.banking) return input.at;
  const periodic = addCalendarMonths(input.reviewBase, input.intervalMonths, input.timeZone);
  return consent.bankingExpiresAt !== null && consent.bankingExpiresAt.getTime() < periodic.getTime()
    ? consent.bankingExpiresAt
    : periodic;
}

/**
 * A withdrawn banking consent makes the vial due at once (docs/domain.md, rule 2), unless it was due even earlier:
 * a withdrawal never postpones a review.
 */
export function dueOnWithdrawal(current: Date, withdrawnAt: Date): Date {
  return current.getTime() <= withdrawnAt.getTime() ? current : withdrawnAt;
}

/**
 * `at` moved by `months` calendar months in `timeZone`, keeping the local wall-clock time; a day the target
 * month lacks (31st, 29 February) becomes that month's last day.
 */
export function addCalendarMonths(at: Date, months: number, timeZone: string): Date {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  const local = wallClock(at.getTime(), timeZone);
  const monthIndex = local.month - 1 + months;
  const year = local.year + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const target = Date.UTC(
    year,
    month,
    Math.min(local.day, lastDay),
    local.hour,
    local.minute,
    local.second,
    local.ms,
  );
  return new Date(fromWallClock(target, timeZone));
}

/** A vial's schedule as an import finds it: the review date to come and the date its current period began. */
export interface ScheduleInProgress {
  /** The first of frozenAt + k intervals (k >= 1) that lies after `at`: the next anniversary of the freezing. */
  dueAt: Date;
  /** The anniversary before it (the freezing itself when the first is still to come): the review base. */
  since: Date;
}

/**
 * Where a vial frozen long ago stands in its periodic schedule at `at` (docs/imports.md): it has been in the
 * tanks for some whole periods, and its review falls on the next anniversary of its freezing. Each date is
 * counted from the freezing itself (not from the previous anniversary), so 29 February keeps coming back in
 * leap years and 31 January stays the month's last day.
 */
export function scheduleInProgress(
  frozenAt: Date,
  intervalMonths: number,
  timeZone: string,
  at: Date,
): ScheduleInProgress {
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1)
    throw new RangeError(`intervalMonths must be a positive integer, got ${intervalMonths}`);
  // A period of N months lasts at most 31 N days, so this count of whole periods is never past the answer.
  const longestPeriodMs = intervalMonths * 31 * 86_400_000;
  let periods = Math.max(1, Math.floor((at.getTime() - frozenAt.getTime()) / longestPeriodMs));
  while (addCalendarMonths(frozenAt, periods * intervalMonths, timeZone).getTime() <= at.getTime())
    periods += 1;
  return {
    dueAt: addCalendarMonths(frozenAt, periods * intervalMonths, timeZone),
    since: periods === 1 ? frozenAt : addCalendarMonths(frozenAt, (periods - 1) * intervalMonths, timeZone),
  };
}
