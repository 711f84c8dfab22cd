import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { notFound } from '../common/errors/domain-error';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { AuditEntryFilter, AuditRepository, StoredAuditEntry, StoredHead } from './audit.repository';
import { AuditRecord } from './canonical';
import { HeadSigner, SignedTreeHead } from './ledger/head-signer';
import {
  CompactRange,
  consistencySpans,
  EMPTY_ROOT,
  foldSpan,
  inclusionSpans,
  leafHash,
  NodeRef,
  nodeKey,
  perfectSubtrees,
  Span,
} from './ledger/merkle';

/** One entry as the API shows it; `at` in ISO 8601 UTC; `leafIndex` and `leafHash` null until integrated. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  leafIndex: number | null;
  leafHash: string | null;
}

/** One entry with the very text its leaf hash covers. */
export interface AuditEntryDetail extends AuditEntryView {
  canonical: string;
}

export interface AuditRange {
  /** ISO 8601 with zone, inclusive. */
  from?: string;
  /** ISO 8601 with zone, exclusive. */
  to?: string;
}

export interface AuditListQuery extends AuditRange {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  limit: number;
  cursor?: string;
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
}

export interface ConsistencyProof {
  from: number;
  to: number;
  proof: string[];
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadLeafIndex: number | null;
  headOk?: boolean;
}

/** A head an auditor kept and hands back to `verify`. */
export interface KeptHead {
  treeSize: number;
  rootHash: string;
  at: string;
  signature: string;
}

// A power of two, so the nodes a batch completes lie in it; a few MB of canonical text per read.
const VERIFY_BATCH = 8192;
// Smaller for the export: each batch becomes one chunk of the response, waiting on a slow client.
const EXPORT_BATCH = 1_000;

/**
 * Reading, proving and checking the audit ledger. Entries are written only by the transaction helper
 * (common/transaction) and integrated by the sequencer (ledger/sequencer.service.ts); nothing here writes.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly signer: HeadSigner,
  ) {}

  /** Entries oldest first, filtered, one keyset page at a time. */
  async list(query: AuditListQuery): Promise<Page<AuditEntryView>> {
    const filter: AuditEntryFilter = {
      ...parseRange(query),
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
    };
    const rows = await this.entries.findEntriesAfter(filter, cursorSeq(query.cursor), query.limit + 1);
    return toPage(rows, query.limit, (row) => [row.seq], toEntryView);
  }

  async entry(seq: number): Promise<AuditEntryDetail> {
    const row = await this.entries.findEntry(seq);
    if (!row) throw notFound('audit entry', String(seq));
    return { ...toEntryView(row), canonical: row.canonical };
  }

  /**
   * The newest signed head. Before the sequencer has signed any (a fresh database, the first instants of a
   * start), the tree as it stands, signed now: the same key, the same statement.
   */
  async head(): Promise<SignedTreeHead> {
    const stored = await this.entries.findLatestHead();
    if (stored) return toHeadView(stored);
    const state = await this.entries.findTreeState();
    const rootHash = state.rootHash.toString('hex');
    const at = new Date().toISOString();
    return {
      treeSize: state.treeSize,
      rootHash,
      at,
      signature: this.signer.sign(state.treeSize, rootHash, at),
      keyId: this.signer.keyId,
    };
  }

  publicKey(): { keyId: string; publicKeyPem: string } {
    return { keyId: this.signer.keyId, publicKeyPem: this.signer.publicKeyPem() };
  }

  /** RFC 9162 2.1.3: the audit path of one leaf in the tree of `treeSize` leaves, from stored nodes only. */
  async inclusionProof(leafIndex: number, treeSize: number): Promise<InclusionProof> {
    const signedSize = await this.signedSize();
    const problems: { field: string; errors: string[] }[] = [];
    if (treeSize < 1 || treeSize > signedSize)
      problems.push({
        field: 'treeSize',
        errors: [`treeSize must be from 1 to ${signedSize} (the signed head)`],
      });
    else if (leafIndex >= treeSize)
      problems.push({ field: 'leafIndex', errors: [`leafIndex must be below treeSize (${treeSize})`] });
    if (problems.length > 0) throw validationFailed(problems);
    const leaf: Span = { start: leafIndex, end: leafIndex + 1 };
    const spans = inclusionSpans(leafIndex, 0, treeSize);
    const [leafHashValue, ...path] = await this.spanHashes([leaf, ...spans]);
    return { leafIndex, treeSize, leafHash: leafHashValue, auditPath: path };
  }

  /** RFC 9162 2.1.4: proves the tree of `to` leaves extends the tree of `from` leaves. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
    const signedSize = await this.signedSize();
    const problems: { field: string; errors: string[] }[] = [];
    if (to > signedSize)
      problems.push({ field: 'to', errors: [`to must be at most ${signedSize} (the signed head)`] });
    if (from < 1 || from > to) problems.push({ field: 'from', errors: ['from must be from 1 to `to`'] });
    if (problems.length > 0) throw validationFailed(problems);
    return { from, to, proof: await this.spanHashes(consistencySpans(from, to)) };
  }

  /**
   * Recomputes every leaf of the signed tree from its entry's canonical text, every stored node from the
   * leaves, and the root of every stored head (and of the auditor's, if given); checks each head's
   * signature. `firstBadLeafIndex` names the first leaf that fails (or is missing), else the first leaf
   * under the first node that fails. Streams the leaves a batch at a time, keeping only the tree's right edge: constant
   * memory however long the ledger.
   */
  async verify(kept?: KeptHead): Promise<AuditVerification> {
    const latest = await this.entries.findLatestHead();
    const size = latest?.treeSize ?? 0;
    // Grown from the stored leaf hashes, so a bad leaf shows as itself and a bad node as the one node.
    const range = new CompactRange();
    let firstBadLeaf: number | null = null;
    let firstBadNode: number | null = null;
    let headsOk = true;
    let keptOk: boolean | undefined;
    const checkHead = (head: StoredHead, root: Buffer): void => {
      const view = toHeadView(head);
      if (
        head.keyId !== this.signer.keyId ||
        !this.signer.isOurs(view.treeSize, view.rootHash, view.at, view.signature) ||
        !head.rootHash.equals(root)
      )
        headsOk = false;
    };
    if (kept) {
      keptOk =
        kept.treeSize <= size && this.signer.isOurs(kept.treeSize, kept.rootHash, kept.at, kept.signature);
      if (keptOk && kept.treeSize === 0) keptOk = kept.rootHash === EMPTY_ROOT.toString('hex');
    }
    for (const head of await this.entries.findHeads(0, 0)) checkHead(head, EMPTY_ROOT);

    for (let start = 0; start < size; start += VERIFY_BATCH) {
      const end = Math.min(start + VERIFY_BATCH, size);
      const [leaves, heads] = await Promise.all([
        this.entries.findLeaves(start, end),
        this.entries.findHeads(start + 1, end),
      ]);
      const headAt = new Map(heads.map((head) => [head.treeSize, head]));
      const computed: { node: NodeRef; hash: Buffer }[] = [];
      let expected = start;
      for (const leaf of leaves) {
        if (leaf.leafIndex !== expected) break;
        if (leaf.canonical === null || !leafHash(leaf.canonical).equals(leaf.hash)) {
          firstBadLeaf ??= leaf.leafIndex;
        }
        range.append(leaf.hash, (node, hash) => computed.push({ node, hash }));
        expected += 1;
        const head = headAt.get(range.size);
        if (head) checkHead(head, range.root());
        if (keptOk && kept?.treeSize === range.size) keptOk = range.root().toString('hex') === kept.rootHash;
      }
      // A leaf missing from the sequence: nothing after it can be placed.
      if (expected < end) {
        firstBadLeaf ??= expected;
        break;
      }
      const stored = await this.entries.findNodeHashes(computed.map((item) => item.node));
      for (const { node, hash } of computed) {
        if (!stored.get(nodeKey(node))?.equals(hash)) firstBadNode ??= node.idx * 2 ** node.level;
      }
    }
    // A kept head the walk never reached (a broken sequence) is not shown to hold.
    if (keptOk && kept && kept.treeSize > range.size) keptOk = false;
    const firstBadLeafIndex = firstBadLeaf ?? firstBadNode;
    const result: AuditVerification = {
      ok: firstBadLeafIndex === null && headsOk && keptOk !== false,
      checked: range.size,
      firstBadLeafIndex,
    };
    return kept ? { ...result, headOk: keptOk } : result;
  }

  /**
   * The trail as NDJSON, one entry view a line, oldest first, up to the newest entry at the time of the
   * request. The stream reads the next batch only when the consumer has taken the last one (backpressure),
   * holds no connection between batches, and stops reading when it is destroyed (the client went away).
   */
  async exportNdjson(range: AuditRange): Promise<Readable> {
    const filter = parseRange(range);
    // Read now rather than in the stream, so an unreachable database is a 503 before any byte is sent.
    const upToSeq = await this.entries.findLastSeq();
    return Readable.from(this.ndjsonChunks({ ...filter, upToSeq }), { objectMode: false });
  }

  private async *ndjsonChunks(filter: AuditEntryFilter): AsyncGenerator<string> {
    let afterSeq = 0;
    for (;;) {
      const rows = await this.entries.findEntriesAfter(filter, afterSeq, EXPORT_BATCH);
      if (rows.length > 0) yield rows.map((row) => `${JSON.stringify(toEntryView(row))}\n`).join('');
      if (rows.length < EXPORT_BATCH) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }

  private async signedSize(): Promise<number> {
    return (await this.entries.findLatestHead())?.treeSize ?? 0;
  }

  /** The hashes of these spans, hex, from one read of the stored nodes they fold. */
  private async spanHashes(spans: Span[]): Promise<string[]> {
    const nodes = spans.flatMap((span) => perfectSubtrees(span.start, span.end));
    const stored = await this.entries.findNodeHashes(nodes);
    const hashOf = (node: NodeRef): Buffer => {
      const hash = stored.get(nodeKey(node));
      // The tree is append-only and complete up to the signed head: a missing node is a damaged ledger.
      if (!hash) throw new Error(`audit ledger node ${nodeKey(node)} is missing`);
      return hash;
    };
    return spans.map((span) => foldSpan(span, hashOf).toString('hex'));
  }
}

function toHeadView(head: StoredHead): SignedTreeHead {
  return {
    treeSize: head.treeSize,
    rootHash: head.rootHash.toString('hex'),
    at: head.at.toISOString(),
    signature: head.signature,
    keyId: head.keyId,
  };
}

/** The view is read from the canonical text, the very bytes that were hashed, not from derived columns. */
function toEntryView(row: StoredAuditEntry): AuditEntryView {
  const record = JSON.parse(row.canonical) as AuditRecord;
  return {
    seq: row.seq,
    at: new Date(record.at).toISOString(),
    actorId: record.actorId ?? null,
    actorRole: record.actorRole,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    before: record.before ?? null,
    after: record.after ?? null,
    reason: record.reason ?? null,
    leafIndex: row.leafIndex,
    leafHash: row.leafHash?.toString('hex') ?? null,
  };
}

function parseRange(range: AuditRange): Pick<AuditEntryFilter, 'from' | 'to'> {
  const from = parseTime('from', range.from);
  const to = parseTime('to', range.to);
  if (from && to && from.getTime() > to.getTime()) {
    throw validationFailed([{ field: 'to', errors: ['to must not be before from'] }]);
  }
  return { from, to };
}

function parseTime(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = parseZonedTimestamp(value);
  if (!at) {
    throw validationFailed([{ field, errors: [`${field} must be an ISO 8601 timestamp with a time zone`] }]);
  }
  return at;
}

function cursorSeq(cursor: string | undefined): number {
  const key = decodeCursor(cursor, 1);
  if (key === null) return 0;
  const seq = key[0];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw validationFailed([{ field: 'cursor', errors: ['cursor is not valid'] }]);
  }
  return seq;
}
