import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchOrigin, BatchStatus } from './domain/batch-state-machine';

export interface SpecificationRef {
  id: string;
  version: string;
  maxPassage: number;
}

/** A batch row as commands read it, under the row lock. */
export interface BatchRow {
  id: string;
  din: string;
  dinCheck: string;
  status: BatchStatus;
  origin: BatchOrigin;
  biohazard: boolean;
  donorId: string;
  clinicId: string;
  /** Null for a legacy batch (no harvest here); its actions are limited by assertOriginAllows. */
  harvestId: string;
  productType: string;
  specificationId: string;
  maxPassage: number;
  /** Null for a legacy batch, see harvestId. */
  targetCellCount: number;
  currentPassage: number | null;
  viableCellsYielded: number | null;
  cellsDrawn: number;
  expiresAt: Date | null;
  recalledAt: Date | null;
  createdAt: Date;
}

export interface NewBatch {
  din: string;
  dinCheck: string;
  harvestId: string;
  donorId: string;
  clinicId: string;
  productType: string;
  specificationId: string;
  targetCellCount: number;
  biohazard: boolean;
  createdBy: string;
  createdAt: Date;
}

/** What other modules' records of a batch's cells show of it (a dose's DIN, the clinic that scopes it). */
export interface BatchIdentity {
  id: string;
  din: string;
  status: BatchStatus;
  clinicId: string;
  donorId: string;
}

/** The batch's current (uncorrected) final harvest: what a release signs and dates the shelf life from. */
export interface CurrentFinalHarvest {
  id: string;
  performedAt: Date;
  totalCells: number;
  viabilityPct: number;
  viableCells: number;
}

/** Columns a command may move; absent ones keep their value. */
export interface BatchChanges {
  status?: BatchStatus;
  currentPassage?: number;
  viableCellsYielded?: number;
  expiresAt?: Date;
}

const BATCH_COLUMNS = `b.id, b.din, b.din_check AS "dinCheck", b.status, b.origin, b.biohazard, b.donor_id AS "donorId",
  b.clinic_id AS "clinicId", b.harvest_id AS "harvestId", b.product_type AS "productType",
  b.specification_id AS "specificationId", s.max_passage AS "maxPassage", b.target_cell_count AS "targetCellCount",
  b.current_passage AS "currentPassage", b.viable_cells_yielded AS "viableCellsYielded", b.cells_drawn AS "cellsDrawn",
  b.expires_at AS "expiresAt", b.recalled_at AS "recalledAt", b.created_at AS "createdAt"`;

/** The batch row and its DIN counter: the writes of the batch lifecycle. */
@Injectable()
export class BatchesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findActiveSpecification(
    productType: string,
    manager: EntityManager,
  ): Promise<SpecificationRef | null> {
    const rows = await manager.query<SpecificationRef[]>(
      `SELECT id, version, max_passage AS "maxPassage" FROM specifications WHERE product_type = $1 AND active`,
      [productType],
    );
    return rows[0] ?? null;
  }

  async findIdentity(id: string, manager: EntityManager = this.db.manager): Promise<BatchIdentity | null> {
    const rows = await manager.query<BatchIdentity[]>(
      'SELECT id, din, status, clinic_id AS "clinicId", donor_id AS "donorId" FROM batches WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  async findStatuses(
    ids: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<Map<string, BatchStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.query<{ id: string; status: BatchStatus }[]>(
      'SELECT id, status FROM batches WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  /** A donor's batches (served by batches_donor). */
  async idsOfDonor(donorId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      'SELECT id FROM batches WHERE donor_id = $1 ORDER BY created_at, id',
      [donorId],
    );
    return rows.map((row) => row.id);
  }

  /** When the batch's current final harvest was performed (null before it). */
  async currentFinalHarvest(
    batchId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<CurrentFinalHarvest | null> {
    const rows = await manager.query<CurrentFinalHarvest[]>(
      `SELECT id, performed_at AS "performedAt", total_cells AS "totalCells", viability_pct AS "viabilityPct",
              viable_cells AS "viableCells"
         FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  /**
   * Draws viable cells from the batch's final harvest. The batches_cells_conserved check makes over-drawing
   * impossible whatever the concurrency (rule 9); callers check first to answer with a helpful message.
   */
  async drawCells(batchId: string, cells: number, at: Date, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE batches SET cells_drawn = cells_drawn + $2, updated_at = $3 WHERE id = $1', [
      batchId,
      cells,
      at,
    ]);
  }

  /** Marks the batch recalled, keeping its first recall time; answers the time before (null on the first). */
  async markRecalled(batchId: string, recalledAt: Date, manager: EntityManager): Promise<Date | null> {
    const rows = await manager.query<{ previous: Date | null }[]>(
      `WITH previous AS (SELECT recalled_at FROM batches WHERE id = $1),
            marked AS (UPDATE batches SET recalled_at = coalesce(recalled_at, $2), updated_at = $2 WHERE id = $1 RETURNING id)
       SELECT (SELECT recalled_at FROM previous) AS previous FROM marked`,
      [batchId, recalledAt],
    );
    return rows[0]?.previous ?? null;
  }

  async findIdByHarvest(harvestId: string, manager: EntityManager): Promise<string | null> {
    const rows = await manager.query<{ id: string }[]>('SELECT id FROM batches WHERE harvest_id = $1', [
      harvestId,
    ]);
    return rows[0]?.id ?? null;
  }

  /**
   * The next DIN sequence number of the facility's year. The counter row is locked until the creating
   * transaction ends: concurrent creations queue here, and a creation that fails gives its number back, so
   * the sequence has no gaps.
   */
  async takeDinSequence(facilityFin: string, year2: number, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ lastValue: number }[]>(
      `INSERT INTO din_sequences (facility_fin, year2, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (facility_fin, year2) DO UPDATE SET last_value = din_sequences.last_value + 1
       RETURNING last_value AS "lastValue"`,
      [facilityFin, year2],
    );
    return rows[0].lastValue;
  }

  async insert(batch: NewBatch, manager: EntityManager): Promise<string> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO batches (din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
         target_cell_count, biohazard, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       RETURNING id`,
      [
        batch.din,
        batch.dinCheck,
        batch.harvestId,
        batch.donorId,
        batch.clinicId,
        batch.productType,
        batch.specificationId,
        batch.targetCellCount,
        batch.biohazard,
        batch.createdBy,
        batch.createdAt,
      ],
    );
    return rows[0].id;
  }

  /** The batch, locked until the transaction ends: every command on a batch queues on this row. */
  async lockById(id: string, manager: EntityManager): Promise<BatchRow | null> {
    const rows = await manager.query<BatchRow[]>(
      `SELECT ${BATCH_COLUMNS} FROM batches b JOIN specifications s ON s.id = b.specification_id
        WHERE b.id = $1
          FOR UPDATE OF b`,
      [id],
    );
    return rows[0] ?? null;
  }

  async update(id: string, changes: BatchChanges, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE batches SET
         status = coalesce($2, status),
         current_passage = coalesce($3, current_passage),
         viable_cells_yielded = coalesce($4, viable_cells_yielded),
         expires_at = coalesce($5, expires_at),
         updated_at = $6
       WHERE id = $1`,
      [
        id,
        changes.status ?? null,
        changes.currentPassage ?? null,
        changes.viableCellsYielded ?? null,
        changes.expiresAt ?? null,
        at,
      ],
    );
  }

  /**
   * Everyone who created the batch, recorded a step on it (isolation, passage, count, final harvest, QC
   * result, any correction of those) or opened a deviation on it: the people who may not sign its release
   * (four eyes). Who received its harvest is the harvests module's to answer (BatchesService.recordersOf).
   */
  async findRecorders(batchId: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ userId: string }[]>(
      `SELECT created_by AS "userId" FROM batches WHERE id = $1
       UNION SELECT recorded_by FROM batch_isolations WHERE batch_id = $1
       UNION SELECT recorded_by FROM batch_passages WHERE batch_id = $1
       UNION SELECT recorded_by FROM batch_cell_counts WHERE batch_id = $1
       UNION SELECT recorded_by FROM batch_final_harvests WHERE batch_id = $1
       UNION SELECT recorded_by FROM qc_results WHERE batch_id = $1
       UNION SELECT opened_by FROM deviations WHERE batch_id = $1`,
      [batchId],
    );
    return rows.map((row) => row.userId);
  }
}
