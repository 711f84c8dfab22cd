import { addCalendarMonths } from '../../bank/domain/review-schedule';

/**
 * When a treated knee is seen again (docs/outcomes.md, "Follow-ups"): 3, 6, 12 and 24 calendar months after
 * the administration (months in the facility's zone), each due date with a window of 30 days either side.
 */

export const FOLLOW_UP_MONTHS = [3, 6, 12, 24] as const;
export type FollowUpMonth = (typeof FOLLOW_UP_MONTHS)[number];
export const FOLLOW_UP_WINDOW_DAYS = 30;

const MS_PER_DAY = 86_400_000;
const WINDOW_MS = FOLLOW_UP_WINDOW_DAYS * MS_PER_DAY;

export interface FollowUpWindow {
  month: FollowUpMonth;
  dueAt: Date;
  opensAt: Date;
  closesAt: Date;
}

export function followUpWindows(administeredAt: Date, timeZone: string): FollowUpWindow[] {
  return FOLLOW_UP_MONTHS.map((month) => {
    const dueAt = addCalendarMonths(administeredAt, month, timeZone);
    return {
      month,
      dueAt,
      opensAt: new Date(dueAt.getTime() - WINDOW_MS),
      closesAt: new Date(dueAt.getTime() + WINDOW_MS),
    };
  });
}

/** The window open at `at` (opensAt <= at < closesAt), if any. */
export function openWindowAt(windows: readonly FollowUpWindow[], at: Date): FollowUpWindow | null {
  return (
    windows.find((w) => w.opensAt.getTime() <= at.getTime() && at.getTime() < w.closesAt.getTime()) ?? null
  );
}

/** The next moment after `at` at which a window opens or closes (for a wake-up), or null after the last. */
export function nextWindowEdgeAfter(windows: readonly FollowUpWindow[], at: Date): Date | null {
  const edges = windows
    .flatMap((w) => [w.opensAt.getTime(), w.closesAt.getTime()])
    .filter((edge) => edge > at.getTime())
    .sort((a, b) => a - b);
  return edges.length > 0 ? new Date(edges[0]) : null;
}

/**
 * Calendar months from `from` to `to` in `timeZone`, with the part month as a fraction of that month's
 * length (so 3 months to the day is exactly 3, whatever the months' lengths).
 */
export function elapsedMonths(from: Date, to: Date, timeZone: string): number {
  if (to.getTime() < from.getTime()) return -elapsedMonths(to, from, timeZone);
  let whole = Math.max(0, Math.floor((to.getTime() - from.getTime()) / (31 * MS_PER_DAY)));
  while (addCalendarMonths(from, whole + 1, timeZone).getTime() <= to.getTime()) whole += 1;
  const start = addCalendarMonths(from, whole, timeZone).getTime();
  const end = addCalendarMonths(from, whole + 1, timeZone).getTime();
  return whole + (to.getTime() - start) / (end - start);
}

/**
 * The follow-up month an assessment counts for: the nearest of 3, 6, 12 and 24 (the earlier on a tie), and
 * beyond the 24-month window the elapsed months rounded.
 */
export function monthsAfter(administeredAt: Date, assessedAt: Date, timeZone: string): number {
  const last = followUpWindows(administeredAt, timeZone).at(-1) as FollowUpWindow;
  const months = elapsedMonths(administeredAt, assessedAt, timeZone);
  if (assessedAt.getTime() >= last.closesAt.getTime()) return Math.round(months);
  let nearest: number = FOLLOW_UP_MONTHS[0];
  for (const month of FOLLOW_UP_MONTHS) {
    if (Math.abs(months - month) < Math.abs(months - nearest)) nearest = month;
  }
  return nearest;
}
