import { startOfDay } from '../../common/clock/facility-calendar';
import { parseZonedTimestamp } from '../../common/validation/past-event.validator';

/**
 * A reagent lot's expiry as printed on its label is a calendar date: usable through the end of that day where
 * the CPC is (docs/http-api.md, "Conventions": calendar rules use FACILITY_TZ). We store the first instant at which the lot is no longer
 * usable, so "expired at t" is simply `t >= expiresAt` whatever zone t was written in.
 */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (a real calendar date) or an ISO 8601 timestamp with a zone. */
export function isLotExpiryInput(value: unknown): value is string {
  return typeof value === 'string' && (calendarDate(value) !== null || parseZonedTimestamp(value) !== null);
}

/**
 * The exclusive end of the lot's shelf life: for a date, the start of the next day in `timeZone`; for a
 * timestamp, that instant. Null for anything else.
 */
export function lotExpiryInstant(input: string, timeZone: string): Date | null {
  const date = calendarDate(input);
  if (date) return startOfDay(date.year, date.month, date.day + 1, timeZone);
  return parseZonedTimestamp(input);
}

/** Whether a lot is expired at `at` (an event's time). */
export function lotExpiredAt(expiresAt: Date, at: Date): boolean {
  return at.getTime() >= expiresAt.getTime();
}

function calendarDate(value: string): { year: number; month: number; day: number } | null {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day)
    return null;
  return { year, month, day };
}
