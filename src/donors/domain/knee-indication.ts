/**
 * What a knee's Kellgren-Lawrence grade (0 none .. 4 severe, on X-ray or MRI) says about treating it with
 * cultured adipose stromal cells (docs/outcomes.md, "Knees"): grades 1-3 are where benefit is expected, grade 4
 * (bone on bone) is palliative at best, and a knee without osteoarthritis (0) is not a candidate.
 */
export enum KneeIndication {
  NOT_INDICATED = 'NOT_INDICATED',
  EXPECTED_BENEFIT = 'EXPECTED_BENEFIT',
  PALLIATIVE = 'PALLIATIVE',
}

export const KELLGREN_LAWRENCE_MIN = 0;
export const KELLGREN_LAWRENCE_MAX = 4;

export function indicationOf(kellgrenLawrence: number): KneeIndication {
  if (!Number.isInteger(kellgrenLawrence) || kellgrenLawrence < KELLGREN_LAWRENCE_MIN) {
    throw new RangeError(`Kellgren-Lawrence grade must be an integer 0..4, got ${kellgrenLawrence}`);
  }
  if (kellgrenLawrence === 0) return KneeIndication.NOT_INDICATED;
  if (kellgrenLawrence <= 3) return KneeIndication.EXPECTED_BENEFIT;
  if (kellgrenLawrence === KELLGREN_LAWRENCE_MAX) return KneeIndication.PALLIATIVE;
  throw new RangeError(`Kellgren-Lawrence grade must be an integer 0..4, got ${kellgrenLawrence}`);
}
