import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface NewCryopreservation {
  id: string;
  batchId: string;
  frozenAt: Date;
  medium: string;
  dmsoPct: number | null;
  vialCount: number;
  totalCells: number;
  recordedBy: string;
  recordedAt: Date;
}

/** Freezing events, and the cells they take out of the batch's final harvest. */
@Injectable()
export class CryopreservationsRepository {
  async insert(freezing: NewCryopreservation, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO cryopreservations (id, batch_id, frozen_at, medium, dmso_pct, vial_count, total_cells, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        freezing.id,
        freezing.batchId,
        freezing.frozenAt,
        freezing.medium,
        freezing.dmsoPct,
        freezing.vialCount,
        freezing.totalCells,
        freezing.recordedBy,
        freezing.recordedAt,
      ],
    );
  }

  /** When the batch's final harvest (the current entry, corrections applied) was performed; null before it. */
  async finalHarvestAt(batchId: string, manager: EntityManager): Promise<Date | null> {
    const rows = await manager.query<{ performedAt: Date }[]>(
      `SELECT performed_at AS "performedAt" FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL`,
      [batchId],
    );
    return rows[0]?.performedAt ?? null;
  }

  /**
   * Rule 9: vials draw viable cells from the final harvest like doses do. The batches_cells_conserved check
   * refuses over-drawing whatever the concurrency; the service checks first for a helpful message.
   */
  async drawCells(batchId: string, cells: number, at: Date, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE batches SET cells_drawn = cells_drawn + $2, updated_at = $3 WHERE id = $1', [
      batchId,
      cells,
      at,
    ]);
  }
}
