import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BatchOrigin, BatchStatus } from './domain/batch-state-machine';

/** A batch as a legacy import matches a line's DIN against it. */
export interface KnownBatch {
  id: string;
  din: string;
  origin: BatchOrigin;
  status: BatchStatus;
  donorId: string;
  clinicId: string;
  biohazard: boolean;
}

export interface NewLegacyBatch {
  din: string;
  dinCheck: string;
  donorId: string;
  clinicId: string;
}

/** The set-based reads and writes of legacy batches (src/batches/legacy-batches.service.ts). */
@Injectable()
export class LegacyBatchesRepository {
  async findByDins(dins: readonly string[], manager: EntityManager): Promise<KnownBatch[]> {
    if (dins.length === 0) return [];
    return manager.query<KnownBatch[]>(
      `SELECT id, din, origin, status, donor_id AS "donorId", clinic_id AS "clinicId", biohazard
         FROM batches WHERE din = ANY($1::text[])`,
      [dins],
    );
  }

  /**
   * Inserts the batches as LEGACY and CULTURE_COMPLETE (awaiting QA's acceptance), under the given specification;
   * a DIN that exists already is left alone (the caller matched it first). Answers those inserted.
   */
  async insertMany(
    batches: readonly NewLegacyBatch[],
    specification: { id: string; productType: string },
    createdBy: string,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; din: string }[]> {
    if (batches.length === 0) return [];
    return manager.query<{ id: string; din: string }[]>(
      `INSERT INTO batches (din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
         target_cell_count, status, origin, biohazard, viable_cells_yielded, cells_drawn, created_by, created_at, updated_at)
       SELECT x.din, x.din_check, NULL, x.donor_id, x.clinic_id, $2, $3, NULL, 'CULTURE_COMPLETE', 'LEGACY',
              false, 0, 0, $4, $5, $5
         FROM jsonb_to_recordset($1::jsonb) AS x(din text, din_check text, donor_id uuid, clinic_id uuid)
       ON CONFLICT ON CONSTRAINT batches_din_unique DO NOTHING
       RETURNING id, din`,
      [
        JSON.stringify(
          batches.map((b) => ({
            din: b.din,
            din_check: b.dinCheck,
            donor_id: b.donorId,
            clinic_id: b.clinicId,
          })),
        ),
        specification.productType,
        specification.id,
        createdBy,
        at,
      ],
    );
  }

  /**
   * A legacy batch yields exactly the cells banked in its vials, all of them drawn (rule 9 holds: nothing is
   * left to draw for a dose). Only LEGACY batches are touched.
   */
  async addBankedCells(
    cellsByBatch: ReadonlyMap<string, number>,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    if (cellsByBatch.size === 0) return;
    await manager.query(
      `UPDATE batches b SET viable_cells_yielded = b.viable_cells_yielded + x.cells, cells_drawn = b.cells_drawn + x.cells,
              updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, cells bigint)
        WHERE b.id = x.id AND b.origin = 'LEGACY'`,
      [JSON.stringify([...cellsByBatch].map(([id, cells]) => ({ id, cells }))), at],
    );
  }
}
