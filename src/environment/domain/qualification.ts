/**
 * Whether a piece of equipment was fit to use at a given moment (docs/environment.md, "Equipment"): judged
 * at the step's own time, from the calibrations performed by then, so a back-entered step is judged as the
 * equipment stood that day, not as it stands now.
 */

export type CalibrationResult = 'PASS' | 'FAIL';

export interface CalibrationEntry {
  id: string;
  performedAt: Date;
  result: CalibrationResult;
  nextDueAt: Date;
  recordedAt: Date;
}

export interface CalibrationRecord {
  /** Due before any calibration is recorded here (the calibration it arrived with). */
  initialDueAt: Date;
  calibrations: readonly CalibrationEntry[];
}

export type Unqualified = 'CALIBRATION_OVERDUE' | 'CALIBRATION_FAILED';

export interface Qualification {
  qualified: boolean;
  reason: Unqualified | null;
  /** When its calibration was (or is) due; a failed calibration makes it due at once. */
  dueAt: Date;
  /** The calibration it was judged by, or null before the first one recorded here. */
  calibrationId: string | null;
}

/** The calibration in force at `at`: the latest performed by then (the later recorded one for a tie). */
export function calibrationInForce(record: CalibrationRecord, at: Date): CalibrationEntry | null {
  let latest: CalibrationEntry | null = null;
  for (const entry of record.calibrations) {
    if (entry.performedAt.getTime() > at.getTime()) continue;
    if (
      latest === null ||
      entry.performedAt.getTime() > latest.performedAt.getTime() ||
      (entry.performedAt.getTime() === latest.performedAt.getTime() &&
        entry.recordedAt.getTime() > latest.recordedAt.getTime())
    ) {
      latest = entry;
    }
  }
  return latest;
}

/**
 * Qualified at `at` when the calibration in force passed and its next one was not yet due: from the due
 * instant on, the equipment is overdue. A failed calibration disqualifies until a later one passes.
 */
export function qualificationAt(record: CalibrationRecord, at: Date): Qualification {
  const inForce = calibrationInForce(record, at);
  if (inForce?.result === 'FAIL') {
    return {
      qualified: false,
      reason: 'CALIBRATION_FAILED',
      dueAt: inForce.performedAt,
      calibrationId: inForce.id,
    };
  }
  const dueAt = inForce?.nextDueAt ?? record.initialDueAt;
  const overdue = at.getTime() >= dueAt.getTime();
  return {
    qualified: !overdue,
    reason: overdue ? 'CALIBRATION_OVERDUE' : null,
    dueAt,
    calibrationId: inForce?.id ?? null,
  };
}

/** CALIBRATION_DUE is raised this many days ahead of the due date (and stays while overdue or failed). */
export const CALIBRATION_DUE_WITHIN_DAYS = 14;
const DUE_WINDOW_MS = CALIBRATION_DUE_WITHIN_DAYS * 86_400_000;

/** Whether CALIBRATION_DUE holds at `now`, and when it will if not yet. */
export function calibrationDueAt(
  record: CalibrationRecord,
  now: Date,
): { holds: boolean; dueAt: Date; failed: boolean; windowOpensAt: Date } {
  const state = qualificationAt(record, now);
  const windowOpensAt = new Date(state.dueAt.getTime() - DUE_WINDOW_MS);
  const failed = state.reason === 'CALIBRATION_FAILED';
  return {
    holds: failed || now.getTime() >= windowOpensAt.getTime(),
    dueAt: state.dueAt,
    failed,
    windowOpensAt,
  };
}
