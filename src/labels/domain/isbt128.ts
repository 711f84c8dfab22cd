import { wallClock } from '../../common/clock/facility-calendar';

/**
 * The ISBT 128 data structures a label carries (docs/labels.md, "What a label carries"): 001 (DIN with its
 * flags), 003 (product code) and 005 (expiration date and time). Each starts with its two data identifier
 * characters; the lengths are fixed, so the structures are concatenated without separators in a DataMatrix.
 */

/** Flag characters beside the DIN: `00` means "no flag in use" (the labels here use none). */
export const NO_FLAGS = '00';
/** What labels carry until an administrator sets a product code for the form (PUT /product-codes/:form). */
export const LOCAL_PRODUCT_CODE = 'S0000';
export const LOCAL_TYPE_OF_DONATION = '0';
/** Vials and batches have no division; the n-th dose of a kind takes the n-th letter then `0`. */
export const NO_DIVISION = '00';

const DIN_PATTERN = /^[A-Z]\d{12}$/;
const PRODUCT_CODE_PATTERN = /^[A-Z]\d{4}$/;
const DIVISION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Data structure 001: `=` + DIN (13) + flags (2). */
export function dataStructure001(din: string, flags: string = NO_FLAGS): string {
  if (!DIN_PATTERN.test(din)) throw new RangeError(`'${din}' is not a DIN`);
  if (!/^\d{2}$/.test(flags)) throw new RangeError(`'${flags}' is not two flag digits`);
  return `=${din}${flags}`;
}

/** Data structure 003: `=<` + product description code (5) + type of donation (1) + division (2). */
export function dataStructure003(productCode: string, typeOfDonation: string, division: string): string {
  if (!PRODUCT_CODE_PATTERN.test(productCode)) throw new RangeError(`'${productCode}' is not a product code`);
  if (!/^[0-9A-Z]$/.test(typeOfDonation)) throw new RangeError(`'${typeOfDonation}' is not a donation type`);
  if (!/^[0-9A-Z]{2}$/.test(division)) throw new RangeError(`'${division}' is not a division`);
  return `=<${productCode}${typeOfDonation}${division}`;
}

/**
 * The division of a batch's n-th fresh (or n-th booster) dose: `A0`, `B0`... `Z0`. A batch yields a handful
 * of doses; past 26 the code has no letter left, which is a RangeError rather than a label that repeats one.
 */
export function doseDivision(ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 1 || ordinal > DIVISION_LETTERS.length) {
    throw new RangeError(`dose ordinal ${ordinal} has no division letter (1..${DIVISION_LETTERS.length})`);
  }
  return `${DIVISION_LETTERS.charAt(ordinal - 1)}0`;
}

/**
 * Data structure 005: `&>` + `cyyjjjhhmm`: century digit (0 for 2000-2099), two-digit year, day of the year
 * (001-366) and the time, all on the facility's wall clock. Seconds are dropped, so the printed time is never
 * later than the real expiry.
 */
export function dataStructure005(expiresAt: Date, timeZone: string): string {
  const local = wallClock(expiresAt.getTime(), timeZone);
  const century = Math.floor(local.year / 100) - 20;
  if (century < 0 || century > 9) throw new RangeError(`year ${local.year} is outside 2000-2999`);
  const dayOfYear =
    (Date.UTC(local.year, local.month - 1, local.day) - Date.UTC(local.year, 0, 1)) / 86_400_000 + 1;
  return (
    `&>${century}${pad(local.year % 100, 2)}${pad(dayOfYear, 3)}` +
    `${pad(local.hour, 2)}${pad(local.minute, 2)}`
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
