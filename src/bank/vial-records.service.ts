import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BatchVialRow, VialRecordsRepository } from './vial-records.repository';
import { isLive, VialStatus } from './domain/vial-state-machine';

/** A banked vial as a batch's lineage or a lot's recall list shows it. */
export interface BatchVialRecord {
  id: string;
  label: string;
  status: VialStatus;
  cells: number;
  /** Where it stands, or stood last before it was thawed or discarded. */
  position: { boxId: string; boxPath: string; row: number; col: number };
  inTank: boolean;
  frozenAt: Date;
  thawedAt: Date | null;
  postThawViabilityPct: number | null;
  discardedAt: Date | null;
  booster: {
    id: string;
    status: string;
    requestedAt: Date;
    dose: { id: string; label: string; status: string } | null;
  } | null;
}

/**
 * The read face of the bank for modules the bank itself depends on (batches' lineage, materials' recall list).
 * It lives in its own module with no imports, so `BatchesModule` and `MaterialsModule` can import it without a
 * cycle through `BankModule`.
 */
@Injectable()
export class VialRecordsService {
  constructor(private readonly records: VialRecordsRepository) {}

  /** The vials of each batch (with boosters and booster doses), by batch id; batches without vials are absent. */
  async vialsOfBatches(
    batchIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, BatchVialRecord[]>> {
    const byBatch = new Map<string, BatchVialRecord[]>();
    for (const row of await this.records.vialsOfBatches([...new Set(batchIds)], manager)) {
      const list = byBatch.get(row.batchId);
      if (list) list.push(vialRecord(row));
      else byBatch.set(row.batchId, [vialRecord(row)]);
    }
    return byBatch;
  }
}

function vialRecord(row: BatchVialRow): BatchVialRecord {
  return {
    id: row.id,
    label: row.label,
    status: row.status,
    cells: row.cells,
    position: { boxId: row.boxId, boxPath: row.boxPath, row: row.row, col: row.col },
    inTank: isLive(row.status),
    frozenAt: row.frozenAt,
    thawedAt: row.thawedAt,
    postThawViabilityPct: row.postThawViabilityPct,
    discardedAt: row.discardedAt,
    booster:
      row.boosterId === null
        ? null
        : {
            id: row.boosterId,
            status: row.boosterStatus as string,
            requestedAt: row.boosterRequestedAt as Date,
            dose:
              row.boosterDoseId === null
                ? null
                : {
                    id: row.boosterDoseId,
                    label: row.boosterDoseLabel as string,
                    status: row.boosterDoseStatus as string,
                  },
          },
  };
}
