import { ADVISORY_LOCKS } from '../../../src/common/locks/advisory-locks';

describe('advisory lock keys', () => {
  it('gives every use its own key, so no lock waits on an unrelated holder', () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
