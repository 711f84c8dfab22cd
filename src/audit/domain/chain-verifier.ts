import { chainHash, GENESIS_HASH } from '../canonical';

/** One link of the chain as stored: what `verify` reads, and all that it reads. */
export interface ChainLink {
  seq: number;
  canonical: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  /** The first seq at which the chain does not hold: an entry that fails its link or hash, or the first missing seq. */
  firstBadSeq: number | null;
}

/**
 * Walks the chain in seq order, one batch at a time, keeping only the previous link: constant memory
 * however long the trail. Each entry must follow the one before it (seq + 1, `prevHash` = its hash) and hash
 * to what it stores, `sha256(prevHash || canonical)`, so an edit, an insertion or a removal inside the
 * chain is found. After a break it goes on from the stored values, so `checked` still counts every entry.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private checked = 0;
  private firstBadSeq: number | null = null;

  /** This loop runs once per entry of the trail: keep it to the comparisons and the one hash it needs. */
  checkAll(links: readonly ChainLink[]): void {
    for (const link of links) {
      if (
        this.firstBadSeq === null &&
        (link.seq !== this.expectedSeq ||
          link.prevHash !== this.previousHash ||
          link.hash !== chainHash(link.prevHash, link.canonical))
      ) {
        // A gap names the first missing seq; otherwise the entry that fails.
        this.firstBadSeq = Math.min(link.seq, this.expectedSeq);
      }
      this.expectedSeq = link.seq + 1;
      this.previousHash = link.hash;
      this.checked += 1;
    }
  }

  result(): ChainCheck {
    return { ok: this.firstBadSeq === null, checked: this.checked, firstBadSeq: this.firstBadSeq };
  }
}
