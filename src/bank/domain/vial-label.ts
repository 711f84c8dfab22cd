/** Vials are labelled `<DIN>-V001`, `-V002`... in the order they were frozen (docs/domain.md, "Identifiers"). */
export function vialLabel(din: string, ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1)
    throw new RangeError(`vial ordinal must be a positive integer, got ${ordinal}`);
  return `${din}-V${String(ordinal).padStart(3, '0')}`;
}
