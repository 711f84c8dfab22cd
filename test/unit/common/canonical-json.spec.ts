import { canonicalJson as auditCanonicalJson } from '../../../src/audit/canonical';
import { canonicalJson } from '../../../src/common/json/canonical-json';

describe('canonicalJson (src/common/json)', () => {
  const value = {
    b: [3, { z: undefined, y: new Date('2026-01-02T03:04:05.678Z'), x: null }],
    a: 'é',
    c: undefined,
    d: { nested: { k2: 2, k1: 1 } },
  };

  it('sorts keys at every depth, writes dates as epoch milliseconds and drops undefined members', () => {
    expect(canonicalJson(value)).toBe(
      '{"a":"é","b":[3,{"x":null,"y":1767323045678}],"d":{"nested":{"k1":1,"k2":2}}}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it("writes the same text as the audit trail's copy, which the chain's hashes depend on", () => {
    expect(canonicalJson(value)).toBe(auditCanonicalJson(value));
  });
});
