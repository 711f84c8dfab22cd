/**
 * Why a line of a bank inventory file was refused, as a stable machine code (docs/imports.md, "What is
 * checked"): clients act on `code`, and `message` may be reworded. Stored with the error
 * (import_errors.code, checked by migrations/1764000340000-import-line-codes.ts): a new code needs a migration.
 */
export enum ImportLineCode {
  // The file as a whole (reported on line 1).
  /** The file has no header. */
  EMPTY_FILE = 'EMPTY_FILE',
  /** A header column that is not one of the file's columns. */
  UNKNOWN_COLUMN = 'UNKNOWN_COLUMN',
  /** A header column named twice. */
  DUPLICATE_COLUMN = 'DUPLICATE_COLUMN',
  /** A column missing from the header. */
  MISSING_COLUMN = 'MISSING_COLUMN',
  /** The CSV cannot be read from this line on (an unclosed quote, a record far too long): reading stopped. */
  UNREADABLE = 'UNREADABLE',

  // One line on its own.
  /** The line has more or fewer fields than the header. */
  FIELD_COUNT = 'FIELD_COUNT',
  /** The column's value is not of its format or range (the message says which). */
  INVALID_VALUE = 'INVALID_VALUE',
  /** `din` is not 13 characters of a DIN (a letter, then 12 digits), with or without a check character. */
  DIN_INVALID = 'DIN_INVALID',
  /** `din` has a 14th character that is not its ISO/IEC 7064 MOD 37-2 check character (a mistyped DIN). */
  DIN_CHECK_MISMATCH = 'DIN_CHECK_MISMATCH',
  /** `vialLabel` is not the line's DIN followed by -V and three digits. */
  VIAL_LABEL_INVALID = 'VIAL_LABEL_INVALID',
  /** `frozenAt` lies in the future. */
  FROZEN_IN_FUTURE = 'FROZEN_IN_FUTURE',

  // Between lines of the file (the first line wins; the message names it).
  /** The vial label is on an earlier line. */
  VIAL_REPEATED = 'VIAL_REPEATED',
  /** An earlier line puts a vial in the same position. */
  POSITION_REPEATED = 'POSITION_REPEATED',

  // Between lines of the file, or against the record.
  /** The DIN belongs to another donor (of an earlier line, or in the record). */
  DIN_OTHER_DONOR = 'DIN_OTHER_DONOR',
  /** The donor's birth year or sex differs (from an earlier line, or from the registered donor). */
  DONOR_DETAILS_DIFFER = 'DONOR_DETAILS_DIFFER',

  // Against the record.
  /** No clinic has the code. */
  CLINIC_UNKNOWN = 'CLINIC_UNKNOWN',
  /** Several donors of the clinic have the reference. */
  DONOR_AMBIGUOUS = 'DONOR_AMBIGUOUS',
  /** The DIN is a batch cultured here, not a legacy record. */
  DIN_CULTURED_HERE = 'DIN_CULTURED_HERE',
  /** The DIN's legacy batch is discarded or rejected: nothing more is banked in it. */
  BATCH_CLOSED = 'BATCH_CLOSED',
  /** No box has the id. */
  BOX_UNKNOWN = 'BOX_UNKNOWN',
  /** The row or column lies outside the box. */
  POSITION_OUTSIDE_BOX = 'POSITION_OUTSIDE_BOX',
  /** The box is not in a liquid-nitrogen tank of the batch's biohazard class (rule 13). */
  STORAGE_UNSUITABLE = 'STORAGE_UNSUITABLE',
  /** A vial already holds the position. */
  POSITION_TAKEN = 'POSITION_TAKEN',
}

export const IMPORT_LINE_CODES = Object.values(ImportLineCode);
