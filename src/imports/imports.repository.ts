import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RowError } from './domain/bank-inventory-row';
import { ImportEntity } from './import.entity';

/** The lock every legacy import's chunk holds: chunks of any imports are banked one at a time. */
const LEGACY_BANK_LOCK = 'legacy-bank-import';

const IMPORT_COLUMNS = `id, kind, state, file_sha256 AS "fileSha256", total, processed, created, skipped,
  error_count AS "errorCount", last_line AS "lastLine", failure, requested_by AS "requestedBy",
  requested_at AS "requestedAt", started_at AS "startedAt", finished_at AS "finishedAt", updated_at AS "updatedAt"`;

export type ImportRow = Omit<ImportEntity, 'content'>;

export interface ChunkProgress {
  lastLine: number;
  lines: number;
  created: number;
  skipped: number;
  errors: readonly RowError[];
}

@Injectable()
export class ImportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The import, new, or the unfinished import of the same file when there is one (imports_one_unfinished_per_file):
   * two requests for one file meet on the index and share one import.
   */
  async insertOrJoin(
    row: { id: string; fileSha256: string; content: string; total: number; requestedBy: string; at: Date },
    manager: EntityManager,
  ): Promise<{ id: string; joined: boolean }> {
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO imports (id, kind, state, file_sha256, content, total, requested_by, requested_at, updated_at)
       VALUES ($1, 'BANK_INVENTORY', 'PENDING', $2, $3, $4, $5, $6, $6)
       ON CONFLICT (file_sha256) WHERE state IN ('PENDING', 'RUNNING') DO NOTHING
       RETURNING id`,
      [row.id, row.fileSha256, row.content, row.total, row.requestedBy, row.at],
    );
    if (inserted.length > 0) return { id: row.id, joined: false };
    const unfinished = await manager.query<{ id: string }[]>(
      `SELECT id FROM imports WHERE file_sha256 = $1 AND state IN ('PENDING', 'RUNNING')`,
      [row.fileSha256],
    );
    // Finished between the two statements: the caller retries (a new import then).
    if (unfinished.length === 0) throw new Error('the unfinished import of this file finished meanwhile');
    return { id: unfinished[0].id, joined: true };
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<ImportRow | null> {
    const rows = await manager.query<ImportRow[]>(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async findContent(id: string): Promise<string | null> {
    const rows = await this.db.query<{ content: string }[]>('SELECT content FROM imports WHERE id = $1', [
      id,
    ]);
    return rows[0]?.content ?? null;
  }

  /** Unfinished imports not moved since `before`, oldest first. */
  async quietUnfinished(before: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM imports WHERE state IN ('PENDING', 'RUNNING') AND updated_at < $1 ORDER BY requested_at`,
      [before],
    );
    return rows.map((row) => row.id);
  }

  async lockById(id: string, manager: EntityManager): Promise<ImportRow | null> {
    const rows = await manager.query<ImportRow[]>(
      `SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lockLegacyBank(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LEGACY_BANK_LOCK]);
  }

  async errorsOf(id: string): Promise<RowError[]> {
    return this.db.query<RowError[]>(
      `SELECT line, code, field, message FROM import_errors WHERE import_id = $1 ORDER BY seq`,
      [id],
    );
  }

  async markRunning(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE imports SET state = 'RUNNING', started_at = coalesce(started_at, $2), updated_at = $2 WHERE id = $1`,
      [id, at],
    );
  }

  /** Closes a chunk: its errors, the counts and the checkpoint, in the chunk's transaction. */
  async recordChunk(
    id: string,
    errorsBefore: number,
    progress: ChunkProgress,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    if (progress.errors.length > 0) {
      await manager.query(
        `INSERT INTO import_errors (import_id, seq, line, code, field, message)
         SELECT $1, $2 + n, (e->>'line')::integer, e->>'code', e->>'field', left(e->>'message', 500)
           FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(e, n)`,
        [id, errorsBefore, JSON.stringify(progress.errors)],
      );
    }
    await manager.query(
      `UPDATE imports SET last_line = $2, processed = processed + $3, created = created + $4, skipped = skipped + $5,
              error_count = error_count + $6, updated_at = $7
        WHERE id = $1`,
      [id, progress.lastLine, progress.lines, progress.created, progress.skipped, progress.errors.length, at],
    );
  }

  async finish(
    id: string,
    state: 'COMPLETED' | 'FAILED',
    failure: string | null,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE imports SET state = $2, failure = $3, finished_at = $4, updated_at = $4
        WHERE id = $1 AND state IN ('PENDING', 'RUNNING')`,
      [id, state, failure, at],
    );
  }
}
