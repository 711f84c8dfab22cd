/** Cleanroom grades and sampling methods of EU GMP Annex 1 (2022), section 9 and table 6. */
export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export const SAMPLING_METHODS = ['ACTIVE_AIR', 'SETTLE_PLATE', 'CONTACT_PLATE', 'GLOVE_PRINT'] as const;
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

export type SampleOutcome = 'WITHIN' | 'ACTION';

/** CFU per sample: active air per m3, settle plate per 4 h, contact plate per plate, glove print per 5 fingers. */
export type ActionLimits = Readonly<Record<Grade, Readonly<Record<SamplingMethod, number | null>>>>;

/**
 * Annex 1 (2022), table 6, as the defaults the migration seeds (docs/environment.md): grade A's limit of 1
 * means any growth is an action; a null limit (glove prints in grades C and D) is none.
 */
export const ANNEX1_ACTION_LIMITS: ActionLimits = {
  A: { ACTIVE_AIR: 1, SETTLE_PLATE: 1, CONTACT_PLATE: 1, GLOVE_PRINT: 1 },
  B: { ACTIVE_AIR: 10, SETTLE_PLATE: 5, CONTACT_PLATE: 5, GLOVE_PRINT: 5 },
  C: { ACTIVE_AIR: 100, SETTLE_PLATE: 50, CONTACT_PLATE: 25, GLOVE_PRINT: null },
  D: { ACTIVE_AIR: 200, SETTLE_PLATE: 100, CONTACT_PLATE: 50, GLOVE_PRINT: null },
};

/** A count at or over its action limit calls for action; with no limit set, every count is within. */
export function judgeSample(cfu: number, limitCfu: number | null): SampleOutcome {
  return limitCfu !== null && cfu >= limitCfu ? 'ACTION' : 'WITHIN';
}
