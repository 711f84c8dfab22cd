/**
 * Calendar arithmetic in the facility's time zone (FACILITY_TZ): the DIN's year, "12 months", a lot's expiry
 * date are calendar rules where the CPC is, while durations (48 h, 6 h) stay exact. Built on Intl so it
 * follows the zone's real offsets, daylight saving included.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (an import dates every vial). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a clock on the wall in `timeZone` reads at the instant `at` (epoch ms). */
export function wallClock(at: number, timeZone: string): WallClock {
  const parts = formatterOf(timeZone).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
    ms: ((at % 1000) + 1000) % 1000,
  };
}

/** How far the zone's wall clock is ahead of UTC at `at` (ms). */
export function offsetMs(at: number, timeZone: string): number {
  const local = wallClock(at, timeZone);
  return (
    Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.ms) - at
  );
}

/**
 * The instant whose wall clock in `timeZone` reads `wall` (given as if it were UTC). The offset is read at the
 * guess and again at the result, which settles it across a daylight-saving change.
 */
export function fromWallClock(wall: number, timeZone: string): number {
  const first = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(first, timeZone);
}

/** Local midnight starting the given day (the day may overflow its month; Date.UTC carries it) in `timeZone`. */
export function startOfDay(year: number, month: number, day: number, timeZone: string): Date {
  return new Date(fromWallClock(Date.UTC(year, month - 1, day), timeZone));
}
