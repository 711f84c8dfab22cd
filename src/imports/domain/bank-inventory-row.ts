import { parseDinInput } from '../../batches/domain/din';
import { FUTURE_TOLERANCE_MS, parseZonedTimestamp } from '../../common/validation/past-event.validator';
import { ImportLineCode } from './import-line-code';

/**
 * One line of a legacy bank's inventory file (docs/notifications.md, "Importing a legacy bank"): one vial a
 * line, its donor matched by clinic and `externalRef`, its batch by DIN. These checks need nothing but the
 * line; what needs the database (the clinic, the box, a free position, a donor or DIN already known) is the
 * import service's, and what spans lines is {@link InventoryFileChecks}'.
 */
export const BANK_INVENTORY_COLUMNS = [
  'clinicCode',
  'externalRef',
  'birthYear',
  'sex',
  'din',
  'vialLabel',
  'frozenAt',
  'cells',
  'boxId',
  'row',
  'col',
] as const;

export type InventoryColumn = (typeof BANK_INVENTORY_COLUMNS)[number];

/**
 * A bad line: `code` says why (stable, for machines), `field` is the column at fault, or null when the line as a
 * whole is (its number of fields), and `message` says it for people.
 */
export interface RowError {
  line: number;
  code: ImportLineCode;
  field: InventoryColumn | null;
  message: string;
}

export interface InventoryRow {
  line: number;
  clinicCode: string;
  externalRef: string;
  birthYear: number;
  sex: 'F' | 'M' | 'X';
  din: string;
  vialLabel: string;
  /** The vial's number within its batch, read from its label (`-V007` is 7). */
  ordinal: number;
  frozenAt: Date;
  cells: number;
  boxId: string;
  row: number;
  col: number;
}

export type ParsedLine = { ok: true; row: InventoryRow } | { ok: false; errors: RowError[] };

const MAX_CELLS = 1e12;
const MAX_BOX_SIDE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const CLINIC_CODE = /^[A-Z0-9-]{2,16}$/;
const VIAL_ORDINAL = /^-V(\d{3})$/;
const INTEGER = /^\d+$/;

/** The header must name exactly these columns, in any order: a missing or unknown one is refused on line 1. */
export function checkHeader(header: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  const known = new Set<string>(BANK_INVENTORY_COLUMNS);
  const seen = new Set<string>();
  for (const name of header) {
    if (!known.has(name))
      errors.push({
        line: 1,
        code: ImportLineCode.UNKNOWN_COLUMN,
        field: null,
        message: `unknown column "${name}"`,
      });
    else if (seen.has(name))
      errors.push({
        line: 1,
        code: ImportLineCode.DUPLICATE_COLUMN,
        field: name as InventoryColumn,
        message: 'column given twice',
      });
    seen.add(name);
  }
  for (const name of BANK_INVENTORY_COLUMNS) {
    if (!seen.has(name))
      errors.push({
        line: 1,
        code: ImportLineCode.MISSING_COLUMN,
        field: name,
        message: 'column missing from the header',
      });
  }
  return errors;
}

/**
 * Reads one line against the header. `now` bounds `frozenAt` (a freezing cannot lie more than five minutes
 * ahead) and `birthYear`. Every bad field is reported, not only the first.
 */
export function parseInventoryLine(
  line: number,
  header: readonly string[],
  values: readonly string[],
  now: Date,
): ParsedLine {
  if (values.length !== header.length) {
    return {
      ok: false,
      errors: [
        {
          line,
          code: ImportLineCode.FIELD_COUNT,
          field: null,
          message: `expected ${header.length} fields, found ${values.length}`,
        },
      ],
    };
  }
  const field = (name: InventoryColumn): string => values[header.indexOf(name)].trim();
  const errors: RowError[] = [];
  const fail = (name: InventoryColumn, message: string, code = ImportLineCode.INVALID_VALUE): null => {
    errors.push({ line, code, field: name, message });
    return null;
  };

  const clinicCode = CLINIC_CODE.test(field('clinicCode'))
    ? field('clinicCode')
    : fail('clinicCode', 'must be 2-16 characters of A-Z, 0-9 and -');
  const externalRef =
    field('externalRef').length >= 1 && field('externalRef').length <= 100
      ? field('externalRef')
      : fail('externalRef', 'must be 1-100 characters (the legacy record of the patient)');
  const birthYear = integerIn(field('birthYear'), 1900, new Date(now).getUTCFullYear());
  if (birthYear === null) fail('birthYear', `must be a year from 1900 to ${now.getUTCFullYear()}`);
  const sex = ['F', 'M', 'X'].includes(field('sex')) ? (field('sex') as InventoryRow['sex']) : null;
  if (sex === null) fail('sex', 'must be F, M or X');
  const dinRead = readDin(field('din'));
  if (!dinRead.ok) fail('din', dinRead.message, dinRead.code);
  const din = dinRead.ok ? dinRead.din : null;
  const ordinal = din === null ? null : readOrdinal(field('vialLabel').toUpperCase(), din);
  if (din !== null && ordinal === null)
    fail(
      'vialLabel',
      `must be the DIN followed by -V and three digits (${din}-V001)`,
      ImportLineCode.VIAL_LABEL_INVALID,
    );
  const frozenAt = parseZonedTimestamp(field('frozenAt'));
  if (frozenAt === null) fail('frozenAt', 'must be an ISO 8601 timestamp with a time zone');
  else if (frozenAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    fail('frozenAt', 'lies in the future', ImportLineCode.FROZEN_IN_FUTURE);
  const cells = integerIn(field('cells'), 1, MAX_CELLS);
  if (cells === null) fail('cells', 'must be a whole number of viable cells from 1 to 1e12');
  const boxId = UUID.test(field('boxId')) ? field('boxId').toLowerCase() : fail('boxId', 'must be a UUID');
  const row = integerIn(field('row'), 1, MAX_BOX_SIDE);
  if (row === null) fail('row', `must be a whole number from 1 to ${MAX_BOX_SIDE}`);
  const col = integerIn(field('col'), 1, MAX_BOX_SIDE);
  if (col === null) fail('col', `must be a whole number from 1 to ${MAX_BOX_SIDE}`);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      line,
      clinicCode: clinicCode as string,
      externalRef: externalRef as string,
      birthYear: birthYear as number,
      sex: sex as InventoryRow['sex'],
      din: din as string,
      vialLabel: field('vialLabel').toUpperCase(),
      ordinal: ordinal as number,
      frozenAt: frozenAt as Date,
      cells: cells as number,
      boxId: boxId as string,
      row: row as number,
      col: col as number,
    },
  };
}

function integerIn(text: string, min: number, max: number): number | null {
  if (!INTEGER.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : null;
}

/**
 * The DIN of the line, without its check character. A 14th character must be the DIN's MOD 37-2 check
 * character (src/batches/domain/din.ts): a legacy record typed by hand is where a mistyped DIN shows, and a
 * wrong check character is told apart from a DIN that is not one at all.
 */
function readDin(
  text: string,
): { ok: true; din: string } | { ok: false; code: ImportLineCode; message: string } {
  const parsed = parseDinInput(text);
  if (parsed !== null) return { ok: true, din: parsed.din };
  const din = text.toUpperCase().slice(0, 13);
  if (text.length === 14 && /^[A-Z]\d{12}$/.test(din))
    return {
      ok: false,
      code: ImportLineCode.DIN_CHECK_MISMATCH,
      // The right character is not told: a mistyped DIN would be "fixed" by copying it.
      message: 'the check character does not match the DIN: one of them is mistyped',
    };
  return {
    ok: false,
    code: ImportLineCode.DIN_INVALID,
    message: 'must be a 13-character DIN (optionally with its right check character)',
  };
}

function readOrdinal(label: string, din: string): number | null {
  if (!label.startsWith(din)) return null;
  const match = VIAL_ORDINAL.exec(label.slice(din.length));
  if (!match) return null;
  const ordinal = Number(match[1]);
  return ordinal >= 1 ? ordinal : null;
}

/** The donor key of a line: a donor is matched by clinic and the legacy record's reference. */
export function donorKey(row: Pick<InventoryRow, 'clinicCode' | 'externalRef'>): string {
  return `${row.clinicCode}\u0000${row.externalRef}`;
}

/**
 * What must agree between the lines of one file: a vial label and a box position appear once, a DIN belongs to
 * one donor, and a donor has one birth year and sex. The first line wins; a later line that disagrees is the
 * bad one, and says which line it disagrees with.
 */
export class InventoryFileChecks {
  private readonly labels = new Map<string, number>();
  private readonly positions = new Map<string, number>();
  private readonly dinDonors = new Map<string, { key: string; line: number }>();
  private readonly donors = new Map<string, { birthYear: number; sex: string; line: number }>();

  check(row: InventoryRow): RowError[] {
    const errors: RowError[] = [];
    const labelLine = this.labels.get(row.vialLabel);
    if (labelLine !== undefined)
      errors.push({
        line: row.line,
        code: ImportLineCode.VIAL_REPEATED,
        field: 'vialLabel',
        message: `the same vial is on line ${labelLine}`,
      });
    const position = `${row.boxId}/${row.row}/${row.col}`;
    const positionLine = this.positions.get(position);
    if (positionLine !== undefined)
      errors.push({
        line: row.line,
        code: ImportLineCode.POSITION_REPEATED,
        field: 'row',
        message: `line ${positionLine} puts a vial in the same position`,
      });
    const key = donorKey(row);
    const dinDonor = this.dinDonors.get(row.din);
    if (dinDonor !== undefined && dinDonor.key !== key)
      errors.push({
        line: row.line,
        code: ImportLineCode.DIN_OTHER_DONOR,
        field: 'din',
        message: `line ${dinDonor.line} gives this DIN to another donor`,
      });
    const donor = this.donors.get(key);
    if (donor !== undefined && donor.birthYear !== row.birthYear)
      errors.push({
        line: row.line,
        code: ImportLineCode.DONOR_DETAILS_DIFFER,
        field: 'birthYear',
        message: `line ${donor.line} gives this donor ${donor.birthYear}`,
      });
    if (donor !== undefined && donor.sex !== row.sex)
      errors.push({
        line: row.line,
        code: ImportLineCode.DONOR_DETAILS_DIFFER,
        field: 'sex',
        message: `line ${donor.line} gives this donor ${donor.sex}`,
      });
    if (errors.length > 0) return errors;
    this.labels.set(row.vialLabel, row.line);
    this.positions.set(position, row.line);
    if (dinDonor === undefined) this.dinDonors.set(row.din, { key, line: row.line });
    if (donor === undefined) this.donors.set(key, { birthYear: row.birthYear, sex: row.sex, line: row.line });
    return [];
  }
}
