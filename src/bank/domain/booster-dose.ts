import { evaluateQcResult } from '../../quality/domain/qc-evaluation';
import { QcOutcome, QcTest, Specification } from '../../quality/domain/specification';

/** A thawed vial as the booster dose reads it. */
export interface ThawedVial {
  id: string;
  label: string;
  cells: number;
  postThawViabilityPct: number;
}

/**
 * The viable cells a booster dose holds: what each vial held, times the share alive after thawing, rounded
 * down per vial (a cell is alive or not) and summed.
 */
export function boosterDoseCells(vials: readonly ThawedVial[]): number {
  return vials.reduce((sum, vial) => sum + Math.floor((vial.cells * vial.postThawViabilityPct) / 100), 0);
}

/**
 * The vials whose post-thaw viability fails the batch's own specification (docs/domain.md, rule 13), judged by the
 * same evaluation as the release's VIABILITY test, so the two can never disagree on a limit.
 */
export function vialsBelowViabilitySpec(spec: Specification, vials: readonly ThawedVial[]): ThawedVial[] {
  return vials.filter(
    (vial) =>
      evaluateQcResult(spec, QcTest.VIABILITY, { value: vial.postThawViabilityPct }, { targetCellCount: 0 })
        .outcome !== QcOutcome.PASS,
  );
}

/** The viability limit as written in the specification, for messages. */
export function viabilityLimitOf(spec: Specification): number | null {
  const limit = spec.limits[QcTest.VIABILITY];
  return limit.kind === 'NUMERIC' && typeof limit.limit === 'number' ? limit.limit : null;
}

export function boosterDoseExpiry(formulatedAt: Date, shelfLifeHours: number): Date {
  return new Date(formulatedAt.getTime() + shelfLifeHours * 3_600_000);
}
