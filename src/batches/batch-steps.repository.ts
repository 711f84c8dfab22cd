import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Who recorded an entry, and whether (and why) it corrects or was corrected by another. */
export interface EntryProvenance {
  id: string;
  correctsId: string | null;
  supersededBy: string | null;
  reason: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export interface IsolationRow {
  id: string;
  performedAt: Date;
  tissueWeightG: number | null;
  cellCount: number;
  viabilityPct: number;
  recordedBy: string;
  recordedAt: Date;
}

export interface PassageRow extends EntryProvenance {
  passageNumber: number;
  performedAt: Date;
  cellsHarvested: number;
  viabilityPct: number;
  cellsSeeded: number;
  vesselCount: number | null;
  confluencePct: number | null;
}

export interface CellCountRow extends EntryProvenance {
  passageNumber: number;
  countedAt: Date;
  totalCells: number;
  viabilityPct: number;
  method: string | null;
}

export interface FinalHarvestRow extends EntryProvenance {
  performedAt: Date;
  totalCells: number;
  viabilityPct: number;
  viableCells: number;
}

/** Every entry recorded on a batch's culture, superseded ones included, each kind in recording order. */
export interface BatchSteps {
  receivedAt: Date | null;
  isolation: IsolationRow | null;
  passages: PassageRow[];
  counts: CellCountRow[];
  finalHarvests: FinalHarvestRow[];
}

export interface IntervalBounds {
  seededAt: Date | null;
  nextPassageAt: Date | null;
  finalHarvestAt: Date | null;
}

interface Recorded {
  recordedBy: string;
  recordedAt: Date;
}

export interface NewIsolation extends Recorded {
  batchId: string;
  performedAt: Date;
  tissueWeightG: number | null;
  cellCount: number;
  viabilityPct: number;
}

interface Correcting extends Recorded {
  correctsId: string | null;
  reason: string | null;
}

export interface NewPassage extends Correcting {
  id: string;
  batchId: string;
  passageNumber: number;
  performedAt: Date;
  cellsHarvested: number;
  viabilityPct: number;
  cellsSeeded: number;
  vesselCount: number | null;
  confluencePct: number | null;
}

export interface NewCellCount extends Correcting {
  id: string;
  batchId: string;
  passageNumber: number;
  countedAt: Date;
  totalCells: number;
  viabilityPct: number;
  method: string | null;
}

export interface NewFinalHarvest extends Correcting {
  id: string;
  batchId: string;
  performedAt: Date;
  totalCells: number;
  viabilityPct: number;
}

const PROVENANCE = `id, corrects_id AS "correctsId", superseded_by AS "supersededBy", reason,
  recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;
const ISOLATION_COLUMNS = `id, performed_at AS "performedAt", tissue_weight_g AS "tissueWeightG", cell_count AS "cellCount",
  viability_pct AS "viabilityPct", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;
const PASSAGE_COLUMNS = `${PROVENANCE}, passage_number AS "passageNumber", performed_at AS "performedAt",
  cells_harvested AS "cellsHarvested", viability_pct AS "viabilityPct", cells_seeded AS "cellsSeeded",
  vessel_count AS "vesselCount", confluence_pct AS "confluencePct"`;
const COUNT_COLUMNS = `${PROVENANCE}, passage_number AS "passageNumber", counted_at AS "countedAt", total_cells AS "totalCells",
  viability_pct AS "viabilityPct", method`;
const FINAL_HARVEST_COLUMNS = `${PROVENANCE}, performed_at AS "performedAt", total_cells AS "totalCells",
  viability_pct AS "viabilityPct", viable_cells AS "viableCells"`;

/**
 * The culture's entries: isolation, passages, in-passage counts and the final harvest. A correction marks the
 * corrected row `superseded_by` before the correcting row is inserted, because the partial unique indexes
 * allow only one current passage of a number and one current final harvest per batch.
 */
@Injectable()
export class BatchStepsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** All entries of the batch, superseded ones included (callers pick the current ones). */
  async findSteps(batchId: string, manager: EntityManager = this.db.manager): Promise<BatchSteps> {
    // One after another: a transaction's manager holds one connection, which runs one query at a time.
    const receipt = await manager.query<{ receivedAt: Date | null }[]>(
      `SELECT h.received_at AS "receivedAt" FROM batches b JOIN harvests h ON h.id = b.harvest_id WHERE b.id = $1`,
      [batchId],
    );
    const isolations = await manager.query<IsolationRow[]>(
      `SELECT ${ISOLATION_COLUMNS} FROM batch_isolations WHERE batch_id = $1`,
      [batchId],
    );
    const passages = await manager.query<PassageRow[]>(
      `SELECT ${PASSAGE_COLUMNS} FROM batch_passages WHERE batch_id = $1 ORDER BY recorded_at, passage_number`,
      [batchId],
    );
    const counts = await manager.query<CellCountRow[]>(
      `SELECT ${COUNT_COLUMNS} FROM batch_cell_counts WHERE batch_id = $1 ORDER BY ordinal`,
      [batchId],
    );
    const finalHarvests = await manager.query<FinalHarvestRow[]>(
      `SELECT ${FINAL_HARVEST_COLUMNS} FROM batch_final_harvests WHERE batch_id = $1 ORDER BY recorded_at`,
      [batchId],
    );
    return {
      receivedAt: receipt[0]?.receivedAt ?? null,
      isolation: isolations[0] ?? null,
      passages,
      counts,
      finalHarvests,
    };
  }

  /**
   * The current steps around the culture interval that passage `passageNumber` opened (isolation for 0): when
   * it was seeded, and when the next passage or the final harvest closed it. An in-passage count must lie
   * between; one query, because logging counts is the busiest write of the CPC.
   */
  async findIntervalBounds(
    batchId: string,
    passageNumber: number,
    manager: EntityManager,
  ): Promise<IntervalBounds> {
    const rows = await manager.query<IntervalBounds[]>(
      `SELECT CASE WHEN $2::int = 0
                   THEN (SELECT performed_at FROM batch_isolations WHERE batch_id = $1)
                   ELSE (SELECT performed_at FROM batch_passages
                          WHERE batch_id = $1 AND passage_number = $2 AND superseded_by IS NULL) END AS "seededAt",
              (SELECT performed_at FROM batch_passages
                WHERE batch_id = $1 AND passage_number = $2 + 1 AND superseded_by IS NULL) AS "nextPassageAt",
              (SELECT performed_at FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL) AS "finalHarvestAt"`,
      [batchId, passageNumber],
    );
    return rows[0];
  }

  async insertIsolation(isolation: NewIsolation, manager: EntityManager): Promise<IsolationRow> {
    const rows = await manager.query<IsolationRow[]>(
      `INSERT INTO batch_isolations (batch_id, performed_at, tissue_weight_g, cell_count, viability_pct, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${ISOLATION_COLUMNS}`,
      [
        isolation.batchId,
        isolation.performedAt,
        isolation.tissueWeightG,
        isolation.cellCount,
        isolation.viabilityPct,
        isolation.recordedBy,
        isolation.recordedAt,
      ],
    );
    return rows[0];
  }

  async findPassage(batchId: string, id: string, manager: EntityManager): Promise<PassageRow | null> {
    const rows = await manager.query<PassageRow[]>(
      `SELECT ${PASSAGE_COLUMNS} FROM batch_passages WHERE batch_id = $1 AND id = $2`,
      [batchId, id],
    );
    return rows[0] ?? null;
  }

  async markPassageSuperseded(id: string, supersededBy: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE batch_passages SET superseded_by = $2 WHERE id = $1', [id, supersededBy]);
  }

  async insertPassage(passage: NewPassage, manager: EntityManager): Promise<PassageRow> {
    const rows = await manager.query<PassageRow[]>(
      `INSERT INTO batch_passages (id, batch_id, passage_number, performed_at, cells_harvested, viability_pct, cells_seeded,
         vessel_count, confluence_pct, corrects_id, reason, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       RETURNING ${PASSAGE_COLUMNS}`,
      [
        passage.id,
        passage.batchId,
        passage.passageNumber,
        passage.performedAt,
        passage.cellsHarvested,
        passage.viabilityPct,
        passage.cellsSeeded,
        passage.vesselCount,
        passage.confluencePct,
        passage.correctsId,
        passage.reason,
        passage.recordedBy,
        passage.recordedAt,
      ],
    );
    return rows[0];
  }

  async findCellCount(batchId: string, id: string, manager: EntityManager): Promise<CellCountRow | null> {
    const rows = await manager.query<CellCountRow[]>(
      `SELECT ${COUNT_COLUMNS} FROM batch_cell_counts WHERE batch_id = $1 AND id = $2`,
      [batchId, id],
    );
    return rows[0] ?? null;
  }

  async markCellCountSuperseded(id: string, supersededBy: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE batch_cell_counts SET superseded_by = $2 WHERE id = $1', [id, supersededBy]);
  }

  async insertCellCount(count: NewCellCount, manager: EntityManager): Promise<CellCountRow> {
    const rows = await manager.query<CellCountRow[]>(
      `INSERT INTO batch_cell_counts (id, batch_id, passage_number, counted_at, total_cells, viability_pct, method,
         corrects_id, reason, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${COUNT_COLUMNS}`,
      [
        count.id,
        count.batchId,
        count.passageNumber,
        count.countedAt,
        count.totalCells,
        count.viabilityPct,
        count.method,
        count.correctsId,
        count.reason,
        count.recordedBy,
        count.recordedAt,
      ],
    );
    return rows[0];
  }

  async findFinalHarvest(
    batchId: string,
    id: string,
    manager: EntityManager,
  ): Promise<FinalHarvestRow | null> {
    const rows = await manager.query<FinalHarvestRow[]>(
      `SELECT ${FINAL_HARVEST_COLUMNS} FROM batch_final_harvests WHERE batch_id = $1 AND id = $2`,
      [batchId, id],
    );
    return rows[0] ?? null;
  }

  async markFinalHarvestSuperseded(id: string, supersededBy: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE batch_final_harvests SET superseded_by = $2 WHERE id = $1', [
      id,
      supersededBy,
    ]);
  }

  async insertFinalHarvest(harvest: NewFinalHarvest, manager: EntityManager): Promise<FinalHarvestRow> {
    const rows = await manager.query<FinalHarvestRow[]>(
      `INSERT INTO batch_final_harvests (id, batch_id, performed_at, total_cells, viability_pct, corrects_id, reason,
         recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${FINAL_HARVEST_COLUMNS}`,
      [
        harvest.id,
        harvest.batchId,
        harvest.performedAt,
        harvest.totalCells,
        harvest.viabilityPct,
        harvest.correctsId,
        harvest.reason,
        harvest.recordedBy,
        harvest.recordedAt,
      ],
    );
    return rows[0];
  }
}
