import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NodeRef, nodeKey } from './ledger/merkle';

/** An entry as stored, with its place in the ledger once the sequencer has integrated it. */
export interface StoredAuditEntry {
  seq: number;
  canonical: string;
  leafIndex: number | null;
  leafHash: Buffer | null;
}

/** Which entries a read wants; every field narrows it. `from` is inclusive, `to` exclusive. */
export interface AuditEntryFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** The last seq to read: the newest when a long walk began, so writes during the walk do not prolong it. */
  upToSeq?: number;
}

export interface StoredHead {
  treeSize: number;
  rootHash: Buffer;
  at: Date;
  signature: string;
  keyId: string;
}

/** One leaf as `verify` reads it: the stored leaf hash and the canonical text of its entry (null if gone). */
export interface StoredLeaf {
  leafIndex: number;
  hash: Buffer;
  canonical: string | null;
}

const ENTRY_COLUMNS =
  'e.seq, e.canonical, l.leaf_index AS "leafIndex", l.hash AS "leafHash" FROM audit_entries e LEFT JOIN audit_leaves l ON l.seq = e.seq';
const HEAD_COLUMNS =
  'tree_size AS "treeSize", root_hash AS "rootHash", at, signature, key_id AS "keyId" FROM audit_tree_heads';

/**
 * The audit trail's reading SQL. Reads only: entries are inserted by the writing command's transaction
 * (common/transaction) and integrated by the sequencer (ledger/sequencer.service.ts) through the database's
 * own functions; the tables refuse anything but INSERT.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Entries after `afterSeq` in seq order, at most `limit`: one keyset page. Lists and the export walk the
   * trail with it, so neither costs more at seq ten million than at seq ten, nor holds a connection between
   * pages.
   */
  async findEntriesAfter(
    filter: AuditEntryFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredAuditEntry[]> {
    const parameters: unknown[] = [afterSeq];
    const conditions = ['e.seq > $1'];
    const where = (column: string, operator: string, value: unknown, cast = ''): void => {
      parameters.push(value);
      conditions.push(`e.${column} ${operator} $${parameters.length}${cast}`);
    };
    // Only the conditions asked for, so the planner sees each query as it is and picks its index
    // (entity_id, seq), (actor_id, seq), (at) or the primary key.
    if (filter.entityType !== undefined) where('entity_type', '=', filter.entityType);
    if (filter.entityId !== undefined) where('entity_id', '=', filter.entityId);
    if (filter.actorId !== undefined) where('actor_id', '=', filter.actorId, '::uuid');
    if (filter.from !== undefined) where('at', '>=', filter.from, '::timestamptz');
    if (filter.to !== undefined) where('at', '<', filter.to, '::timestamptz');
    if (filter.upToSeq !== undefined) where('seq', '<=', filter.upToSeq);
    parameters.push(limit);
    const rows = await this.db.query<StoredAuditEntry[]>(
      `SELECT ${ENTRY_COLUMNS} WHERE ${conditions.join(' AND ')} ORDER BY e.seq LIMIT $${parameters.length}`,
      parameters,
    );
    return rows.map(toEntry);
  }

  async findEntry(seq: number): Promise<StoredAuditEntry | null> {
    const rows = await this.db.query<StoredAuditEntry[]>(`SELECT ${ENTRY_COLUMNS} WHERE e.seq = $1`, [seq]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async findLastSeq(): Promise<number> {
    const rows = await this.db.query<{ seq: number | null }[]>('SELECT max(seq) AS seq FROM audit_entries');
    return rows[0].seq ?? 0;
  }

  /** The newest signed head, or null before the sequencer has signed one. */
  async findLatestHead(): Promise<StoredHead | null> {
    const rows = await this.db.query<StoredHead[]>(`SELECT ${HEAD_COLUMNS} ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? toHead(rows[0]) : null;
  }

  /** Stored heads with tree_size in [from, to], smallest first. */
  async findHeads(from: number, to: number): Promise<StoredHead[]> {
    const rows = await this.db.query<StoredHead[]>(
      `SELECT ${HEAD_COLUMNS} WHERE tree_size BETWEEN $1 AND $2 ORDER BY tree_size`,
      [from, to],
    );
    return rows.map(toHead);
  }

  /** The tree as the sequencer left it, signed or not yet (an empty tree's root is SHA-256 of nothing). */
  async findTreeState(): Promise<{ treeSize: number; rootHash: Buffer }> {
    const rows = await this.db.query<{ treeSize: string; rootHash: Buffer }[]>(
      'SELECT tree_size AS "treeSize", root_hash AS "rootHash" FROM audit_ledger_state',
    );
    return { treeSize: Number(rows[0].treeSize), rootHash: rows[0].rootHash };
  }

  /** The stored hashes of these perfect subtrees (level 0: leaves), keyed by `nodeKey`; absent ones missing. */
  async findNodeHashes(nodes: readonly NodeRef[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (nodes.length === 0) return found;
    const rows = await this.db.query<{ level: number; idx: string; hash: Buffer }[]>(
      `SELECT 0 AS level, l.leaf_index AS idx, l.hash FROM audit_leaves l
        WHERE l.leaf_index = ANY($2::bigint[]) AND 0 = ANY($1::int[])
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM unnest($1::int[], $2::bigint[]) AS q(level, idx)
         JOIN audit_tree_nodes n ON n.level = q.level AND n.idx = q.idx`,
      [nodes.map((node) => node.level), nodes.map((node) => node.idx)],
    );
    const wanted = new Set(nodes.map(nodeKey));
    for (const row of rows) {
      const key = nodeKey({ level: row.level, idx: Number(row.idx) });
      if (wanted.has(key)) found.set(key, row.hash);
    }
    return found;
  }

  /** Leaves [from, to) with the canonical text of each one's entry: what `verify` recomputes. */
  async findLeaves(from: number, to: number): Promise<StoredLeaf[]> {
    const rows = await this.db.query<{ leafIndex: string; hash: Buffer; canonical: string | null }[]>(
      `SELECT l.leaf_index AS "leafIndex", l.hash, e.canonical
         FROM audit_leaves l LEFT JOIN audit_entries e ON e.seq = l.seq
        WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`,
      [from, to],
    );
    return rows.map((row) => ({
      leafIndex: Number(row.leafIndex),
      hash: row.hash,
      canonical: row.canonical,
    }));
  }
}

function toEntry(row: StoredAuditEntry): StoredAuditEntry {
  return {
    seq: Number(row.seq),
    canonical: row.canonical,
    leafIndex: row.leafIndex === null ? null : Number(row.leafIndex),
    leafHash: row.leafHash,
  };
}

function toHead(row: StoredHead): StoredHead {
  return { ...row, treeSize: Number(row.treeSize) };
}
