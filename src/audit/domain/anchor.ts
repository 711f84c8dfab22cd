import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed anchors. A hash chain alone cannot show that its newest entries were removed or the whole tail
 * rewritten with fresh hashes; an auditor who keeps a signed `(seq, hash)` can. The key lives outside the
 * database (AUDIT_HMAC_KEY), so whoever can rewrite the table still cannot forge an anchor for the rewrite.
 */
export function signAnchor(key: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`${seq}:${hash}`, 'utf8').digest('hex');
}

/** Constant-time comparison, so the answer leaks nothing about how much of a guessed signature was right. */
export function isOurAnchor(key: string, seq: number, hash: string, signature: string): boolean {
  const expected = Buffer.from(signAnchor(key, seq, hash), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
