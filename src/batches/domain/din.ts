import { wallClock } from '../../common/clock/facility-calendar';

/**
 * ISBT 128 Donation Identification Number (DIN): facility identification number (one letter, four
 * digits), two-digit year, six-digit sequence per facility and year. One harvest is one donation, so one
 * DIN per batch. The check character is not part of the DIN: it is printed beside the eye-readable DIN so
 * that a typed DIN can be verified (ISO/IEC 7064 MOD 37-2).
 */

/** ISO/IEC 7064 MOD 37-2 character set; a character's value is its index (0-9, A-Z = 10-35, `*` = 36). */
const MOD37_2_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
const MOD37_2_MODULUS = 37;
const MOD37_2_RADIX = 2;

const DIN_LENGTH = 13;
const FIN_PATTERN = /^[A-Z]\d{4}$/;
const DIN_PATTERN = /^[A-Z]\d{12}$/;
const MAX_SEQUENCE = 999_999;

/**
 * The MOD 37-2 check character of a 13-character DIN. ISO/IEC 7064 pure system: the running value is
 * multiplied by the radix after each character, and the check value completes the sum to 1 (mod 37), which
 * is why it is (38 - sum) mod 37 rather than (37 - sum).
 */
export function dinCheckCharacter(din: string): string {
  if (din.length !== DIN_LENGTH) {
    throw new RangeError(`A DIN has ${DIN_LENGTH} characters, got ${din.length}`);
  }
  let sum = 0;
  for (const character of din) {
    const value = MOD37_2_CHARSET.indexOf(character);
    if (value < 0) {
      throw new RangeError(`'${character}' is not in the ISO/IEC 7064 MOD 37-2 character set`);
    }
    sum = ((sum + value) * MOD37_2_RADIX) % MOD37_2_MODULUS;
  }
  return MOD37_2_CHARSET.charAt((MOD37_2_MODULUS + 1 - sum) % MOD37_2_MODULUS);
}

/**
 * Builds the DIN from the facility's FIN, the two-digit year (in the facility's time zone, see
 * {@link dinYear}) and the facility's sequence for that year. Throws RangeError on a malformed FIN (a
 * configuration error) or a sequence the six digits cannot hold.
 */
export function formatDin(facilityFin: string, year2: number, sequence: number): string {
  if (!FIN_PATTERN.test(facilityFin)) {
    throw new RangeError(`Facility identification number '${facilityFin}' is not one letter and four digits`);
  }
  if (!Number.isInteger(year2) || year2 < 0 || year2 > 99) {
    throw new RangeError(`DIN year ${year2} is not a two-digit year`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`DIN sequence ${sequence} is outside 0..${MAX_SEQUENCE}`);
  }
  return `${facilityFin}${pad(year2, 2)}${pad(sequence, 6)}`;
}

/**
 * Reads a DIN typed or scanned for a look-up: the 13-character DIN, or the DIN followed by its check
 * character, which must then be right. Case does not matter. Returns null for anything else, so the caller
 * answers 404 without revealing whether a similar DIN exists.
 */
export function parseDinInput(input: string): { din: string; check: string | null } | null {
  const normalised = input.toUpperCase();
  const din = normalised.slice(0, DIN_LENGTH);
  if (!DIN_PATTERN.test(din)) {
    return null;
  }
  if (normalised.length === DIN_LENGTH) {
    return { din, check: null };
  }
  if (normalised.length === DIN_LENGTH + 1) {
    const check = normalised.charAt(DIN_LENGTH);
    return check === dinCheckCharacter(din) ? { din, check } : null;
  }
  return null;
}

/** The two-digit year of `date` on the facility's calendar (a DIN's year follows the local new year). */
export function dinYear(date: Date, timeZone: string): number {
  return wallClock(date.getTime(), timeZone).year % 100;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
