/**
 * A storage review's status as shown (docs/domain.md, "Storage reviews"): PENDING and DECIDED are stored; DUE is read off the clock, so it
 * is always current without a job: an undecided review due within 30 days, or past due.
 */
export enum StoredReviewStatus {
  PENDING = 'PENDING',
  DECIDED = 'DECIDED',
}

export enum ReviewStatus {
  PENDING = 'PENDING',
  DUE = 'DUE',
  DECIDED = 'DECIDED',
}

export enum ReviewOutcome {
  RETAIN = 'RETAIN',
  DISPOSE = 'DISPOSE',
  /** Closed by the bank itself: every vial was thawed, discarded or moved to another review date. */
  NO_VIALS_LEFT = 'NO_VIALS_LEFT',
}

/** QA's choices; NO_VIALS_LEFT is never chosen. */
export type ReviewDecision = ReviewOutcome.RETAIN | ReviewOutcome.DISPOSE;

/** The same window the STORAGE_REVIEW_DUE flag uses. */
export const REVIEW_DUE_WITHIN_DAYS = 30;
const DUE_WINDOW_MS = REVIEW_DUE_WITHIN_DAYS * 24 * 3600 * 1000;

export function reviewStatus(stored: StoredReviewStatus, dueAt: Date, now: Date): ReviewStatus {
  if (stored === StoredReviewStatus.DECIDED) return ReviewStatus.DECIDED;
  return dueAt.getTime() - DUE_WINDOW_MS <= now.getTime() ? ReviewStatus.DUE : ReviewStatus.PENDING;
}

/** Reviews with dueAt at or before this instant are DUE at `now`. */
export function dueHorizon(now: Date): Date {
  return new Date(now.getTime() + DUE_WINDOW_MS);
}
