import { dinCheckCharacter } from '../../batches/domain/din';

/**
 * The one reading of what a scanner or a person enters at a hand-off or at POST /scans/verify
 * (docs/labels.md, "What a scan may be"). Accepted, after surrounding white space is dropped and letters are
 * upper-cased:
 * - the DataMatrix: data structures 001, 003 and 005 as printed, a space, the item's label text, a space, the
 *   label's serial;
 * - the Code 128 symbol: data structure 001 (`=` + DIN + two flag digits);
 * - the eye-readable DIN, alone, with its flags, with its check character, or both (spaces between the groups
 *   as printed are allowed), a wrong check character being a reading of its own;
 * - the item's label text (`<DIN>-V001`, `<DIN>-D01`, `<DIN>-B01`, a harvest's id) or a label's serial.
 * Anything else, a DIN inside a longer string included, is NOT_A_LABEL: a near miss never passes for a hit.
 */
export type ParsedScan =
  | { form: 'DIN'; din: string }
  | { form: 'BAD_CHECK'; din: string; check: string }
  | { form: 'ITEM'; itemLabel: string; din: string | null; serial: string | null }
  | { form: 'SERIAL'; serial: string }
  | { form: 'NOT_A_LABEL' };

export const SERIAL_PATTERN = /^L\d{9}$/;
const DIN = '[A-Z]\\d{12}';
const UUID = '[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}';
const ITEM_TEXT = new RegExp(`^(?:(${DIN})(?:-(?:V\\d{3,}|D\\d{2,}|B\\d{2,}))?|${UUID})$`);
const LINEAR_001 = new RegExp(`^=(${DIN})\\d{2}$`);
const DATA_MATRIX = new RegExp(
  `^(?:=(${DIN})\\d{2})?(?:=<[A-Z]\\d{4}[0-9A-Z][0-9A-Z]{2})?(?:&>\\d{10})? ?(\\S+) (L\\d{9})$`,
);
const EYE_READABLE_DIN = /^([A-Z]\d{4}) ?(\d{2}) ?(\d{6})(?: ?(\d{2}))?(?: ?([0-9A-Z*]))?$/;

export function parseScan(raw: string): ParsedScan {
  const scan = raw.trim().toUpperCase();
  return (
    readDataMatrix(scan) ??
    readLinear(scan) ??
    readItemText(scan) ??
    readEyeReadableDin(scan) ??
    (SERIAL_PATTERN.test(scan) ? { form: 'SERIAL', serial: scan } : { form: 'NOT_A_LABEL' })
  );
}

function readDataMatrix(scan: string): ParsedScan | null {
  const match = DATA_MATRIX.exec(scan);
  if (!match) return null;
  const [, din, itemLabel, serial] = match;
  const item = readItemText(itemLabel);
  if (!item || item.form !== 'ITEM') return { form: 'NOT_A_LABEL' };
  // The DIN of structure 001 and the label text's must be one item's: a pasted-together symbol is no label.
  if (din !== undefined && item.din !== din) return { form: 'NOT_A_LABEL' };
  return { ...item, serial };
}

function readLinear(scan: string): ParsedScan | null {
  const match = LINEAR_001.exec(scan);
  return match ? { form: 'DIN', din: match[1] } : null;
}

function readItemText(text: string): ParsedScan | null {
  const match = ITEM_TEXT.exec(text);
  if (!match) return null;
  // A DIN alone is the batch's label text as well as its eye-readable DIN: both mean the batch.
  if (match[1] !== undefined && match[1] === text) return { form: 'DIN', din: text };
  return { form: 'ITEM', itemLabel: text, din: match[1] ?? null, serial: null };
}

function readEyeReadableDin(scan: string): ParsedScan | null {
  const match = EYE_READABLE_DIN.exec(scan);
  if (!match) return null;
  const din = `${match[1]}${match[2]}${match[3]}`;
  const check = match[5];
  if (check !== undefined && check !== dinCheckCharacter(din)) return { form: 'BAD_CHECK', din, check };
  return { form: 'DIN', din };
}
