import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VialStatus } from './domain/vial-state-machine';

export interface BatchVialRow {
  id: string;
  batchId: string;
  label: string;
  status: VialStatus;
  cells: number;
  boxId: string;
  boxPath: string;
  row: number;
  col: number;
  frozenAt: Date;
  thawedAt: Date | null;
  postThawViabilityPct: number | null;
  discardedAt: Date | null;
  boosterId: string | null;
  boosterStatus: string | null;
  boosterRequestedAt: Date | null;
  boosterDoseId: string | null;
  boosterDoseLabel: string | null;
  boosterDoseStatus: string | null;
}

/** The bank's vials as other modules' records show them (lineage, recall lists): reads only. */
@Injectable()
export class VialRecordsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every vial of the batches, with its booster and the booster's dose (the vials_batch_created index). */
  async vialsOfBatches(
    batchIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<BatchVialRow[]> {
    if (batchIds.length === 0) return [];
    return manager.query<BatchVialRow[]>(
      `SELECT v.id, v.batch_id AS "batchId", v.label, v.status, v.cells, v.box_id AS "boxId", u.path AS "boxPath",
              v.pos_row AS "row", v.pos_col AS "col", v.frozen_at AS "frozenAt", v.thawed_at AS "thawedAt",
              v.post_thaw_viability_pct AS "postThawViabilityPct", v.discarded_at AS "discardedAt",
              x.id AS "boosterId", x.status AS "boosterStatus", x.requested_at AS "boosterRequestedAt",
              ds.id AS "boosterDoseId", ds.label AS "boosterDoseLabel", ds.status AS "boosterDoseStatus"
         FROM vials v
         JOIN storage_units u ON u.id = v.box_id
         LEFT JOIN boosters x ON x.id = v.booster_id
         LEFT JOIN doses ds ON ds.id = x.dose_id
        WHERE v.batch_id = ANY($1::uuid[])
        ORDER BY v.batch_id, v.ordinal`,
      [batchIds],
    );
  }
}
