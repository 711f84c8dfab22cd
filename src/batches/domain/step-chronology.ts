/**
 * The order of a batch's steps in time. A record of processing that says a passage happened before the
 * isolation it grew from cannot be true (ALCOA+: records must be accurate and contemporaneous), so every step
 * must lie between what precedes it and what follows it on the batch's own timeline. Paper records may still
 * be back-entered: only the order among the batch's entries is checked, not their distance from today.
 *
 * Each entry has a position: receipt before isolation (the start of interval 0), counts inside the interval
 * of their passage number, passage n at the end of interval n-1 and start of interval n, the final harvest
 * after everything. Entries at the same position (two counts of one interval) are not ordered.
 */
export type TimelineEntry =
  | { kind: 'RECEIPT'; at: Date }
  | { kind: 'ISOLATION'; at: Date }
  | { kind: 'PASSAGE'; passageNumber: number; at: Date; id?: string }
  | { kind: 'COUNT'; passageNumber: number; at: Date; id?: string }
  | { kind: 'FINAL_HARVEST'; at: Date; id?: string };

export interface ChronologyViolation {
  /** The neighbouring entry the candidate's time contradicts. */
  neighbour: TimelineEntry;
  /** The candidate may not lie before a step that precedes it, nor after one that follows it. */
  mustNotBe: 'before' | 'after';
}

const LAST = Number.MAX_SAFE_INTEGER;

function position(entry: TimelineEntry): number {
  switch (entry.kind) {
    case 'RECEIPT':
      return -1;
    case 'ISOLATION':
      return 0;
    case 'PASSAGE':
      return entry.passageNumber;
    case 'COUNT':
      return entry.passageNumber + 0.5;
    case 'FINAL_HARVEST':
      return LAST;
  }
}

/**
 * Null when `candidate` fits between the current entries (`replacing` names the entry a correction
 * replaces, which is left out); otherwise the first neighbour it contradicts. Equal times are accepted.
 */
export function chronologyViolation(
  entries: readonly TimelineEntry[],
  candidate: TimelineEntry,
  replacing?: string,
): ChronologyViolation | null {
  const at = candidate.at.getTime();
  const place = position(candidate);
  const others = entries.filter((entry) => replacing === undefined || entryId(entry) !== replacing);
  const latestBefore = latest(others.filter((entry) => position(entry) < place));
  if (latestBefore && latestBefore.at.getTime() > at) return { neighbour: latestBefore, mustNotBe: 'before' };
  const earliestAfter = earliest(others.filter((entry) => position(entry) > place));
  if (earliestAfter && earliestAfter.at.getTime() < at)
    return { neighbour: earliestAfter, mustNotBe: 'after' };
  return null;
}

/** A reader's name for an entry, for the error message. */
export function describeEntry(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'RECEIPT':
      return 'the harvest receipt';
    case 'ISOLATION':
      return 'the isolation';
    case 'PASSAGE':
      return `passage P${entry.passageNumber}`;
    case 'COUNT':
      return `a cell count of P${entry.passageNumber}`;
    case 'FINAL_HARVEST':
      return 'the final harvest';
  }
}

function entryId(entry: TimelineEntry): string | undefined {
  return 'id' in entry ? entry.id : undefined;
}

function latest(entries: TimelineEntry[]): TimelineEntry | undefined {
  return entries.reduce<TimelineEntry | undefined>(
    (found, e) => (!found || e.at > found.at ? e : found),
    undefined,
  );
}

function earliest(entries: TimelineEntry[]): TimelineEntry | undefined {
  return entries.reduce<TimelineEntry | undefined>(
    (found, e) => (!found || e.at < found.at ? e : found),
    undefined,
  );
}
