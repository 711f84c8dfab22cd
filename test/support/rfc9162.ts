import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * An independent implementation of RFC 9162 section 2.1, written from the RFC's text for the tests: the
 * Merkle tree hash (2.1.1) and the verification algorithms of inclusion (2.1.3.2) and consistency
 * (2.1.4.2) proofs. It shares no code with src/audit, so a mistake there is not repeated here.
 */
function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function rfcLeafHash(canonical: string): Buffer {
  return sha256(Buffer.from([0]), Buffer.from(canonical, 'utf8'));
}

function rfcNode(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

/** MTH(D[n]) by the RFC's recursion: k is the largest power of two smaller than n. */
export function rfcRoot(leafHashes: Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return sha256();
  if (n === 1) return leafHashes[0];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return rfcNode(rfcRoot(leafHashes.slice(0, k)), rfcRoot(leafHashes.slice(k)));
}

/** RFC 9162 2.1.3.2, step by step. */
export function rfcVerifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Buffer,
  path: Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = rfcNode(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = rfcNode(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 2.1.4.2, step by step (first < second). */
export function rfcVerifyConsistency(
  first: number,
  second: number,
  firstHash: Buffer,
  secondHash: Buffer,
  proof: Buffer[],
): boolean {
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = rfcNode(c, fr);
      sr = rfcNode(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = rfcNode(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstHash) && sr.equals(secondHash) && sn === 0;
}

/** A signed tree head as `GET /audit/head` returns it. */
export interface HeadView {
  treeSize: number;
  rootHash: string;
  at: string;
  signature: string;
  keyId: string;
}

/** Checks a head's Ed25519 signature with the published key, over the text API.md names. */
export function headSignatureHolds(head: HeadView, publicKeyPem: string): boolean {
  const message = Buffer.from(`cpc-audit-v1\n${head.treeSize}\n${head.rootHash}\n${head.at}`, 'utf8');
  return verify(null, message, createPublicKey(publicKeyPem), Buffer.from(head.signature, 'base64'));
}

export const hex = (value: string): Buffer => Buffer.from(value, 'hex');
