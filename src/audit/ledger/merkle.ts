import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 section 2.1, over the ledger's stored perfect subtrees. Node (level, idx) is
 * the root of leaves [idx * 2^level, (idx + 1) * 2^level): the shape migrations/1764000420000-audit-ledger.ts
 * stores. Every subtree the RFC's algorithms name starts at a multiple of a power of two at least its size,
 * so its hash is a fold of a few stored nodes; a proof is one read of those nodes.
 */
export interface NodeRef {
  level: number;
  idx: number;
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(canonical: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(canonical, 'utf8').digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export const EMPTY_ROOT = createHash('sha256').digest();

/** The largest power of two smaller than n (n >= 2): the RFC's k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The stored perfect subtrees that make up leaves [start, end), left to right. */
export function perfectSubtrees(start: number, end: number): NodeRef[] {
  const nodes: NodeRef[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    nodes.push({ level: Math.log2(size), idx: at / size });
    at += size;
  }
  return nodes;
}

/** A subtree hash the RFC names: [start, end) as the stored nodes it folds. */
export interface Span {
  start: number;
  end: number;
}

/** PATH(m, D[start:end]) of RFC 9162 2.1.3.1, as the spans whose hashes make the audit path, bottom up. */
export function inclusionSpans(m: number, start: number, end: number): Span[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m - start < k
    ? [...inclusionSpans(m, start, start + k), { start: start + k, end }]
    : [...inclusionSpans(m, start + k, end), { start, end: start + k }];
}

/** PROOF(m, D[n]) of RFC 9162 2.1.4.1 (SUBPROOF with b = true), as spans; 0 < m <= n. */
export function consistencySpans(m: number, n: number): Span[] {
  const sub = (size: number, start: number, end: number, whole: boolean): Span[] => {
    const width = end - start;
    if (size === width) return whole ? [] : [{ start, end }];
    const k = splitPoint(width);
    return size <= k
      ? [...sub(size, start, start + k, whole), { start: start + k, end }]
      : [...sub(size - k, start + k, end, false), { start, end: start + k }];
  };
  return sub(m, 0, n, true);
}

/** MTH of a span from its stored nodes' hashes: folded from the right, as the RFC's recursion is. */
export function foldSpan(span: Span, hashOf: (node: NodeRef) => Buffer): Buffer {
  const parts = perfectSubtrees(span.start, span.end).map(hashOf);
  let acc = parts[parts.length - 1];
  for (let i = parts.length - 2; i >= 0; i--) acc = nodeHash(parts[i], acc);
  return acc;
}

export function nodeKey(node: NodeRef): string {
  return `${node.level}:${node.idx}`;
}

/**
 * The tree grown one leaf at a time, keeping only the right edge (one perfect subtree per level at most):
 * constant memory for `verify` however many leaves. Reports each perfect subtree as it completes, so the
 * stored nodes can be checked against it.
 */
export class CompactRange {
  private readonly stack: { level: number; hash: Buffer }[] = [];
  size = 0;

  append(leaf: Buffer, completed: (node: NodeRef, hash: Buffer) => void): void {
    let hash = leaf;
    let level = 0;
    const index = this.size;
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].level === level) {
      hash = nodeHash(this.stack.pop()!.hash, hash);
      level += 1;
      completed({ level, idx: Math.floor(index / 2 ** level) }, hash);
    }
    this.stack.push({ level, hash });
    this.size += 1;
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let acc = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash(this.stack[i].hash, acc);
    return acc;
  }
}
