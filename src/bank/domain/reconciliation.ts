/**
 * A physical check of a box against the record: the labels scanned in the box are compared with the vials the
 * bank says are there (in the tank: STORED or RESERVED).
 */
export interface RecordedVial {
  label: string;
  boxId: string;
  row: number;
  col: number;
}

export interface Misplaced {
  label: string;
  recordedBoxId: string;
  recordedRow: number;
  recordedCol: number;
}

export interface ReconciliationResult {
  /** Scanned here and recorded here. */
  matched: string[];
  /** Recorded here, not scanned: lost, or in the wrong box. */
  missing: string[];
  /** Scanned here, but no vial in the tanks carries that label (unknown, thawed or discarded). */
  unexpected: string[];
  /** Scanned here, but recorded in another place. */
  misplaced: Misplaced[];
}

/**
 * @param boxId the box checked
 * @param scanned the labels read in it
 * @param live every vial in the tanks that is recorded in this box or carries a scanned label
 */
export function reconcile(
  boxId: string,
  scanned: readonly string[],
  live: readonly RecordedVial[],
): ReconciliationResult {
  const byLabel = new Map(live.map((vial) => [vial.label, vial]));
  const seen = new Set(scanned);
  const result: ReconciliationResult = { matched: [], missing: [], unexpected: [], misplaced: [] };
  for (const label of seen) {
    const vial = byLabel.get(label);
    if (!vial) result.unexpected.push(label);
    else if (vial.boxId === boxId) result.matched.push(label);
    else
      result.misplaced.push({
        label,
        recordedBoxId: vial.boxId,
        recordedRow: vial.row,
        recordedCol: vial.col,
      });
  }
  for (const vial of live) {
    if (vial.boxId === boxId && !seen.has(vial.label)) result.missing.push(vial.label);
  }
  result.matched.sort();
  result.missing.sort();
  result.unexpected.sort();
  result.misplaced.sort((a, b) => a.label.localeCompare(b.label));
  return result;
}
