import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChainLink } from './domain/chain-verifier';

/** An entry as stored: the canonical text is the entry, and the view is read from it (see AuditService). */
export type StoredAuditEntry = ChainLink;

/** Which entries a read wants; every field narrows it. `from` is inclusive, `to` exclusive. */
export interface AuditEntryFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
  /** The last seq to read: the head when a long walk began, so writes during the walk do not prolong it. */
  upToSeq?: number;
}

const ENTRY_COLUMNS = 'seq, canonical, prev_hash AS "prevHash", hash';

/**
 * The audit trail's only SQL. Reads only: entries are appended by `audit_append()` inside the writing
 * command's transaction (common/transaction), and the table refuses anything but INSERT.
 */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Entries after `afterSeq` in seq order, at most `limit`: one keyset page. Lists, the export and `verify`
   * all walk the trail with it, so none of them costs more at seq ten million than at seq ten, and none
   * holds a connection or a snapshot between pages.
   */
  async findEntriesAfter(
    filter: AuditEntryFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredAuditEntry[]> {
    const parameters: unknown[] = [afterSeq];
    const conditions = ['seq > $1'];
    const where = (column: string, operator: string, value: unknown, cast = ''): void => {
      parameters.push(value);
      conditions.push(`${column} ${operator} $${parameters.length}${cast}`);
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
    return this.db.query<StoredAuditEntry[]>(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE ${conditions.join(' AND ')} ORDER BY seq LIMIT $${parameters.length}`,
      parameters,
    );
  }

  /** The newest entry, or null while the trail is empty. */
  async findHead(): Promise<StoredAuditEntry | null> {
    const rows = await this.db.query<StoredAuditEntry[]>(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entries ORDER BY seq DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  /** The stored hash of one entry, or null when there is no entry with that seq (any longer). */
  async findHashAt(seq: number): Promise<string | null> {
    const rows = await this.db.query<{ hash: string }[]>('SELECT hash FROM audit_entries WHERE seq = $1', [
      seq,
    ]);
    return rows[0]?.hash ?? null;
  }
}
