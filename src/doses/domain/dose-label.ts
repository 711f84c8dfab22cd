/** Fresh doses are `<DIN>-D01`, `-D02`...; booster doses `<DIN>-B01`... (docs/domain.md, "Identifiers"). */
export type DoseKind = 'FRESH' | 'BOOSTER';

const LABEL_LETTER: Record<DoseKind, string> = { FRESH: 'D', BOOSTER: 'B' };

/** The label of a batch's `ordinal`-th dose of a kind (1-based); two digits, more when a batch ever needs them. */
export function doseLabel(din: string, kind: DoseKind, ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1)
    throw new RangeError(`dose ordinal must be a positive integer, got ${ordinal}`);
  return `${din}-${LABEL_LETTER[kind]}${String(ordinal).padStart(2, '0')}`;
}
