import {
  AuditRecord,
  canonicalJson,
  canonicalText,
  chainHash,
  GENESIS_HASH,
} from '../../../src/audit/canonical';

describe('canonical text of an audit entry', () => {
  const record: AuditRecord = {
    at: 1764000000123,
    actorId: '0b6f5d0e-8d1c-4a51-9a43-2a8b1f3c9e77',
    actorRole: 'technician',
    action: 'batch.passage.recorded',
    entityType: 'batch',
    entityId: '5f0c7a52-3f0e-4a55-9b8e-1f6d1d2a7c3b',
    before: null,
    after: { z: 1, a: { y: [3, { d: 1, c: 2 }], b: 'x' } },
    reason: null,
  };

  it('sorts keys at every depth, arrays keeping their order', () => {
    expect(canonicalText(record)).toBe(
      '{"action":"batch.passage.recorded","actorId":"0b6f5d0e-8d1c-4a51-9a43-2a8b1f3c9e77","actorRole":"technician",' +
        '"after":{"a":{"b":"x","y":[3,{"c":2,"d":1}]},"z":1},"at":1764000000123,"before":null,' +
        '"entityId":"5f0c7a52-3f0e-4a55-9b8e-1f6d1d2a7c3b","entityType":"batch","reason":null}',
    );
  });

  it('gives equal values equal text, whatever order their keys were written in', () => {
    expect(canonicalJson({ b: { y: 1, x: 2 }, a: [1, 2] })).toBe(
      canonicalJson({ a: [1, 2], b: { x: 2, y: 1 } }),
    );
  });

  it('writes dates as epoch milliseconds, at any depth', () => {
    const at = new Date('2025-11-24T16:00:00.123Z');
    expect(canonicalJson({ performedAt: at, nested: { list: [at] } })).toBe(
      '{"nested":{"list":[1764000000123]},"performedAt":1764000000123}',
    );
  });

  it('drops undefined properties, and writes an undefined value or array item as null', () => {
    expect(canonicalJson({ kept: 1, dropped: undefined, nested: { gone: undefined } })).toBe(
      '{"kept":1,"nested":{}}',
    );
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('chain hash', () => {
  it('is sha256 over prevHash followed by the canonical text, in hex (FIPS 180-2 vector "abc")', () => {
    expect(chainHash('a', 'bc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the text as UTF-8 bytes, as PostgreSQL does', () => {
    // printf '\xc3\xa9' | sha256sum
    expect(chainHash('', 'é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });

  it('starts the chain from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    // printf '%s{"a":1}' 0000...0000 (64 zeros) | sha256sum
    expect(chainHash(GENESIS_HASH, '{"a":1}')).toBe(
      'fc6cee09194dd2578bd7664604fcb72a539066fd34544cea0009c43eb6cdc289',
    );
  });
});
