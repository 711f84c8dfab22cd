import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface NewLegacyFreezing {
  id: string;
  batchId: string;
  frozenAt: Date;
  vialCount: number;
  totalCells: number;
}

/** What the legacy vials' checks and writes need beyond VialsRepository (src/bank/legacy-vials.service.ts). */
@Injectable()
export class LegacyVialsRepository {
  /** Which of these labels are vials already (of any state). */
  async existingLabels(labels: readonly string[], manager: EntityManager): Promise<Set<string>> {
    if (labels.length === 0) return new Set();
    const rows = await manager.query<{ label: string }[]>(
      'SELECT label FROM vials WHERE label = ANY($1::text[])',
      [labels],
    );
    return new Set(rows.map((row) => row.label));
  }

  /** The freezings of legacy vials, in one statement; what the medium was is not in a legacy record. */
  async insertFreezings(
    freezings: readonly NewLegacyFreezing[],
    recordedBy: string,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    if (freezings.length === 0) return;
    await manager.query(
      `INSERT INTO cryopreservations (id, batch_id, frozen_at, medium, dmso_pct, vial_count, total_cells, recorded_by, recorded_at)
       SELECT id, batch_id, frozen_at, $2, NULL, vial_count, total_cells, $3, $4
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, batch_id uuid, frozen_at timestamptz, vial_count integer, total_cells bigint)`,
      [
        JSON.stringify(
          freezings.map((f) => ({
            id: f.id,
            batch_id: f.batchId,
            frozen_at: f.frozenAt.toISOString(),
            vial_count: f.vialCount,
            total_cells: f.totalCells,
          })),
        ),
        LEGACY_MEDIUM,
        recordedBy,
        at,
      ],
    );
  }
}

export const LEGACY_MEDIUM = 'not stated (legacy record)';
