import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Misplaced, ReconciliationResult, RecordedVial } from './domain/reconciliation';
import { LIVE_VIAL_STATUSES_SQL } from './domain/vial-state-machine';

export interface NewReconciliation extends ReconciliationResult {
  id: string;
  boxId: string;
  scannedLabels: readonly string[];
  performedBy: string;
  performedAt: Date;
}

/** The physical checks of boxes, kept as records (append-only). */
@Injectable()
export class ReconciliationsRepository {
  /** The vials in the tanks recorded in the box or carrying one of the labels (the live-position and label indexes). */
  async liveVialsInBoxOrLabelled(
    boxId: string,
    labels: readonly string[],
    manager: EntityManager,
  ): Promise<RecordedVial[]> {
    return manager.query<RecordedVial[]>(
      `SELECT label, box_id AS "boxId", pos_row AS "row", pos_col AS "col" FROM vials
        WHERE status IN ${LIVE_VIAL_STATUSES_SQL} AND box_id = $1
       UNION
       SELECT label, box_id, pos_row, pos_col FROM vials
        WHERE status IN ${LIVE_VIAL_STATUSES_SQL} AND label = ANY($2::text[])`,
      [boxId, labels],
    );
  }

  async insert(record: NewReconciliation, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO bank_reconciliations (id, box_id, scanned_labels, matched, missing, unexpected, misplaced, performed_by,
         performed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        record.id,
        record.boxId,
        record.scannedLabels,
        record.matched,
        record.missing,
        record.unexpected,
        JSON.stringify(record.misplaced satisfies Misplaced[]),
        record.performedBy,
        record.performedAt,
      ],
    );
  }
}
