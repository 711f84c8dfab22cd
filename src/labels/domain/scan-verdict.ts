import { ParsedScan } from './scan-parser';
import { ItemIdentity, SubjectType } from './subject-type';

/** Why a scan did not identify the item (docs/labels.md, "Scans"). */
export type MismatchReason =
  'OTHER_ITEM' | 'VOIDED_SERIAL' | 'UNKNOWN_SERIAL' | 'WRONG_CHECK_CHARACTER' | 'NOT_A_LABEL';
export const MISMATCH_REASONS: readonly MismatchReason[] = [
  'OTHER_ITEM',
  'VOIDED_SERIAL',
  'UNKNOWN_SERIAL',
  'WRONG_CHECK_CHARACTER',
  'NOT_A_LABEL',
];

/** A printed serial as the labels' records know it. */
export interface SerialFacts extends ItemIdentity {
  serial: string;
  voided: boolean;
}

export interface Identified {
  subjectType: SubjectType;
  subjectId: string;
  serial: string | null;
}

export type Verdict =
  | { match: true; identified: Identified; reason: null }
  | { match: false; identified: Identified | null; reason: MismatchReason };

/**
 * Whether a parsed scan names one of `accepted` (the item acted on; a cryopreservation also accepts the
 * label text the new vial will carry). `serial` is what the records say of the scan's serial, null when the
 * scan has none or nobody printed it. A DIN alone names the batch, so it matches only a batch.
 */
export function judgeScan(
  scan: ParsedScan,
  accepted: readonly ItemIdentity[],
  serial: SerialFacts | null,
): Verdict {
  switch (scan.form) {
    case 'NOT_A_LABEL':
      return { match: false, identified: null, reason: 'NOT_A_LABEL' };
    case 'BAD_CHECK':
      return { match: false, identified: null, reason: 'WRONG_CHECK_CHARACTER' };
    case 'DIN':
      return byText(scan.din, accepted, (item) => item.subjectType === 'BATCH');
    case 'SERIAL':
      return bySerial(scan.serial, null, accepted, serial);
    case 'ITEM':
      return scan.serial === null
        ? byText(scan.itemLabel, accepted, () => true)
        : bySerial(scan.serial, scan.itemLabel, accepted, serial);
  }
}

function byText(
  text: string,
  accepted: readonly ItemIdentity[],
  fits: (item: ItemIdentity) => boolean,
): Verdict {
  const item = accepted.find((candidate) => fits(candidate) && candidate.itemLabel.toUpperCase() === text);
  if (!item) return { match: false, identified: null, reason: 'OTHER_ITEM' };
  return { match: true, identified: identifiedOf(item, null), reason: null };
}

function bySerial(
  scanned: string,
  itemLabel: string | null,
  accepted: readonly ItemIdentity[],
  serial: SerialFacts | null,
): Verdict {
  if (serial === null || serial.serial !== scanned) {
    return { match: false, identified: null, reason: 'UNKNOWN_SERIAL' };
  }
  // A symbol whose text names one item and whose serial was printed for another is not a label we made.
  if (itemLabel !== null && serial.itemLabel.toUpperCase() !== itemLabel) {
    return { match: false, identified: null, reason: 'NOT_A_LABEL' };
  }
  const identified = identifiedOf(serial, serial.serial);
  if (serial.voided) return { match: false, identified, reason: 'VOIDED_SERIAL' };
  const same = accepted.some(
    (item) => item.subjectType === serial.subjectType && item.subjectId === serial.subjectId,
  );
  return same
    ? { match: true, identified, reason: null }
    : { match: false, identified, reason: 'OTHER_ITEM' };
}

function identifiedOf(item: ItemIdentity, serial: string | null): Identified {
  return { subjectType: item.subjectType, subjectId: item.subjectId, serial };
}
