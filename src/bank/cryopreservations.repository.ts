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
}
