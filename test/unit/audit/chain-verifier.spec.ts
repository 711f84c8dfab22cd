import { chainHash, GENESIS_HASH } from '../../../src/audit/canonical';
import { ChainLink, ChainVerifier } from '../../../src/audit/domain/chain-verifier';

/** A valid chain of `count` links from seq 1, as audit_append() builds it. */
function aChain(count: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const canonical = JSON.stringify({ action: 'step', at: seq, n: seq });
    const hash = chainHash(prevHash, canonical);
    links.push({ seq, canonical, prevHash, hash });
    prevHash = hash;
  }
  return links;
}

function verify(...batches: ChainLink[][]) {
  const verifier = new ChainVerifier();
  for (const batch of batches) verifier.checkAll(batch);
  return verifier.result();
}

describe('chain verifier', () => {
  it('accepts an empty chain', () => {
    expect(verify([])).toEqual({ ok: true, checked: 0, firstBadSeq: null });
  });

  it('accepts a valid chain fed in several batches', () => {
    const chain = aChain(10);
    expect(verify(chain.slice(0, 4), chain.slice(4, 9), chain.slice(9))).toEqual({
      ok: true,
      checked: 10,
      firstBadSeq: null,
    });
  });

  it('finds an entry whose text was edited, and still counts the whole chain', () => {
    const chain = aChain(10);
    chain[5] = { ...chain[5], canonical: chain[5].canonical.replace('"n":6', '"n":7') };
    expect(verify(chain)).toEqual({ ok: false, checked: 10, firstBadSeq: 6 });
  });

  it('finds an entry rehashed over edited text, at the entry after it, whose link no longer holds', () => {
    const chain = aChain(10);
    const canonical = chain[5].canonical.replace('"n":6', '"n":7');
    chain[5] = { ...chain[5], canonical, hash: chainHash(chain[5].prevHash, canonical) };
    expect(verify(chain)).toEqual({ ok: false, checked: 10, firstBadSeq: 7 });
  });

  it('names the first missing seq of a gap', () => {
    const chain = aChain(10);
    chain.splice(3, 2);
    expect(verify(chain)).toEqual({ ok: false, checked: 8, firstBadSeq: 4 });
  });

  it('finds a chain that does not start at seq 1 from the genesis hash', () => {
    expect(verify(aChain(5).slice(1))).toMatchObject({ ok: false, firstBadSeq: 1 });
    const [first] = aChain(1);
    expect(
      verify([{ ...first, prevHash: 'f'.repeat(64), hash: chainHash('f'.repeat(64), first.canonical) }]),
    ).toMatchObject({
      ok: false,
      firstBadSeq: 1,
    });
  });

  it('reports only the first break', () => {
    const chain = aChain(10);
    chain[2] = { ...chain[2], hash: 'e'.repeat(64) };
    chain[7] = { ...chain[7], canonical: 'edited' };
    expect(verify(chain)).toEqual({ ok: false, checked: 10, firstBadSeq: 3 });
  });

  it('cannot see the newest entries removed: that takes an anchor', () => {
    expect(verify(aChain(10).slice(0, 7))).toEqual({ ok: true, checked: 7, firstBadSeq: null });
  });
});
