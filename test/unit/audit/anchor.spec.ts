import { createHmac } from 'node:crypto';
import { isOurAnchor, signAnchor } from '../../../src/audit/domain/anchor';

describe('audit anchor signature', () => {
  const key = 'k'.repeat(32);
  const hash = 'ab'.repeat(32);

  it('is HMAC-SHA256 with the audit key over "seq:hash", hex', () => {
    expect(signAnchor(key, 42, hash)).toBe(createHmac('sha256', key).update(`42:${hash}`).digest('hex'));
  });

  it('accepts the signature it made, for that seq and hash only', () => {
    const signature = signAnchor(key, 42, hash);
    expect(isOurAnchor(key, 42, hash, signature)).toBe(true);
    expect(isOurAnchor(key, 41, hash, signature)).toBe(false);
    expect(isOurAnchor(key, 42, 'cd'.repeat(32), signature)).toBe(false);
  });

  it('refuses a signature made with another key, altered, or malformed', () => {
    const signature = signAnchor(key, 42, hash);
    expect(isOurAnchor(key, 42, hash, signAnchor('x'.repeat(32), 42, hash))).toBe(false);
    expect(isOurAnchor(key, 42, hash, signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0'))).toBe(
      false,
    );
    expect(isOurAnchor(key, 42, hash, signature.slice(0, 62))).toBe(false);
    expect(isOurAnchor(key, 42, hash, 'not hex at all')).toBe(false);
    expect(isOurAnchor(key, 42, hash, '')).toBe(false);
  });
});
