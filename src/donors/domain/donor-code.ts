import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed from a wristband is not
 * mistaken (1/I/L, 0/O) and cannot spell words.
 */
const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const DONOR_CODE_PATTERN = /^D-[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * A donor's code: `D-` and 8 Crockford base32 characters from 40 random bits. It carries no personal data
 * (APPI: the wristband and labels must not identify the patient to anyone outside the clinic), and is unique
 * by the database's constraint; the caller retries on the rare collision.
 */
export function generateDonorCode(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let shift = 35n; shift >= 0n; shift -= 5n) code += CROCKFORD_BASE32[Number((bits >> shift) & 31n)];
  return `D-${code}`;
}
