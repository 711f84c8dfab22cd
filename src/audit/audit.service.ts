import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { appConfig, AppConfig } from '../../config/app.config';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { AuditEntryFilter, AuditRepository, StoredAuditEntry } from './audit.repository';
import { AuditRecord, GENESIS_HASH } from './canonical';
import { isOurAnchor, signAnchor } from './domain/anchor';
import { ChainCheck, ChainVerifier } from './domain/chain-verifier';

/** One entry as the API shows it; `at` in ISO 8601 UTC. */
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
  hash: string;
  prevHash: string;
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

export interface AuditHead {
  seq: number;
  hash: string;
  at: string | null;
  signature: string;
}

/** An earlier head, as an auditor kept it. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  signature: string;
}

export interface AuditVerification extends ChainCheck {
  anchorOk?: boolean;
}

// 10,000 links of a few hundred bytes each: a few MB per batch, few enough round trips for >= 100,000/s.
const VERIFY_BATCH = 10_000;
// Smaller for the export: each batch becomes one chunk of the response, waiting on a slow client.
const EXPORT_BATCH = 1_000;

/**
 * Reading and checking the audit trail. Entries are written only by the transaction helper
 * (common/transaction), in the same transaction as the change they record; nothing here writes.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
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

  /** The newest entry, signed; on an empty trail the genesis (seq 0, 64 zeros), signed all the same. */
  async head(): Promise<AuditHead> {
    const head = await this.entries.findHead();
    const seq = head?.seq ?? 0;
    const hash = head?.hash ?? GENESIS_HASH;
    return {
      seq,
      hash,
      at: head ? toEntryView(head).at : null,
      signature: signAnchor(this.env.auditHmacKey, seq, hash),
    };
  }

  /**
   * Walks the whole chain, batch by batch, up to the head as it was when the walk began, holding one batch
   * at a time. With an anchor, also checks that it is ours and that its entry is still there, unchanged: the
   * only way to find the newest entries removed, or the tail rewritten with fresh hashes.
   */
  async verify(anchor?: AuditAnchor): Promise<AuditVerification> {
    const head = await this.entries.findHead();
    const walk: AuditEntryFilter = { upToSeq: head?.seq ?? 0 };
    const verifier = new ChainVerifier();
    // The next batch is fetched while this one is hashed, so the database and the hashing overlap.
    let next = this.entries.findEntriesAfter(walk, 0, VERIFY_BATCH);
    for (;;) {
      const links = await next;
      const full = links.length === VERIFY_BATCH;
      if (full) next = this.entries.findEntriesAfter(walk, links[links.length - 1].seq, VERIFY_BATCH);
      verifier.checkAll(links);
      if (!full) break;
    }
    const chain = verifier.result();
    if (!anchor) return chain;
    const anchorOk = await this.anchorHolds(anchor);
    return { ...chain, ok: chain.ok && anchorOk, anchorOk };
  }

  /**
   * The trail as NDJSON, one entry view a line, oldest first, up to the head at the time of the request.
   * The stream reads the next batch only when the consumer has taken the last one (backpressure), holds no
   * connection between batches, and stops reading when it is destroyed (the client went away).
   */
  async exportNdjson(range: AuditRange): Promise<Readable> {
    const filter = parseRange(range);
    // Read now rather than in the stream, so an unreachable database is a 503 before any byte is sent.
    const head = await this.entries.findHead();
    return Readable.from(this.ndjsonChunks({ ...filter, upToSeq: head?.seq ?? 0 }), { objectMode: false });
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

  private async anchorHolds(anchor: AuditAnchor): Promise<boolean> {
    if (!isOurAnchor(this.env.auditHmacKey, anchor.seq, anchor.hash, anchor.signature)) return false;
    if (anchor.seq === 0) return anchor.hash === GENESIS_HASH;
    return (await this.entries.findHashAt(anchor.seq)) === anchor.hash;
  }
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
    hash: row.hash,
    prevHash: row.prevHash,
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
