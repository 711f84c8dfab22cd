import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReceiptDeviation } from './domain/cold-chain';
import { DoseKind } from './domain/dose-label';
import { DoseStatus, UNDELIVERED_DOSE_STATUSES } from './domain/dose-state-machine';
import { InjectionSite } from './domain/injection-site';

export interface DoseRow {
  id: string;
  batchId: string;
  din: string;
  /** The batch's clinic (the donor's), for scoping who may see or handle the dose. */
  clinicId: string;
  donorId: string;
  /** The donor's code: what the patient's wristband carries. */
  donorCode: string;
  label: string;
  kind: DoseKind;
  boosterId: string | null;
  cells: number;
  volumeMl: number;
  formulatedAt: Date;
  expiresAt: Date;
  status: DoseStatus;
  formulatedBy: string;
  dispatchedAt: Date | null;
  receivedAt: Date | null;
  receiptTemperatureC: number | null;
  receiptIntact: boolean | null;
  receiptDeviations: ReceiptDeviation[];
  administeredAt: Date | null;
  administeredBy: string | null;
  site: InjectionSite | null;
  destroyedAt: Date | null;
  destructionReason: string | null;
  recalledAt: Date | null;
  recallReason: string | null;
}

export interface DoseListRow extends DoseRow {
  cursorAt: string;
}

export interface NewDose {
  id: string;
  batchId: string;
  label: string;
  kind: DoseKind;
  boosterId: string | null;
  cells: number;
  volumeMl: number;
  formulatedAt: Date;
  expiresAt: Date;
  formulatedBy: string;
  createdAt: Date;
}

export interface DoseReceipt {
  status: DoseStatus;
  receivedAt: Date;
  temperatureC: number;
  intact: boolean;
  deviations: ReceiptDeviation[];
}

/** The batch a dose list hangs on: its existence and clinic. */
export interface BatchScope {
  id: string;
  clinicId: string;
}

const COLUMNS = `d.id, d.batch_id AS "batchId", b.din, b.clinic_id AS "clinicId", b.donor_id AS "donorId",
  o.code AS "donorCode", d.label, d.kind, d.booster_id AS "boosterId", d.cells, d.volume_ml AS "volumeMl",
  d.formulated_at AS "formulatedAt", d.expires_at AS "expiresAt", d.status, d.formulated_by AS "formulatedBy",
  d.dispatched_at AS "dispatchedAt", d.received_at AS "receivedAt", d.receipt_temperature_c AS "receiptTemperatureC",
  d.receipt_intact AS "receiptIntact", d.receipt_deviations AS "receiptDeviations", d.administered_at AS "administeredAt",
  d.administered_by AS "administeredBy", d.site, d.destroyed_at AS "destroyedAt",
  d.destruction_reason AS "destructionReason", d.recalled_at AS "recalledAt", d.recall_reason AS "recallReason"`;
const FROM = `doses d JOIN batches b ON b.id = d.batch_id JOIN donors o ON o.id = b.donor_id`;
const CURSOR_AT = `to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

@Injectable()
export class DosesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<DoseRow | null> {
    const rows = await manager.query<DoseRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The dose, locked until the transaction ends: every command on a dose queues on this row. */
  async lockById(id: string, manager: EntityManager): Promise<DoseRow | null> {
    const rows = await manager.query<DoseRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findBatchScope(
    batchId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<BatchScope | null> {
    const rows = await manager.query<BatchScope[]>(
      `SELECT id, clinic_id AS "clinicId" FROM batches WHERE id = $1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  /** When the batch's current final harvest was performed: no dose is formulated before it. */
  async finalHarvestAt(batchId: string, manager: EntityManager): Promise<Date | null> {
    const rows = await manager.query<{ performedAt: Date }[]>(
      'SELECT performed_at AS "performedAt" FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL',
      [batchId],
    );
    return rows[0]?.performedAt ?? null;
  }

  /** How many doses of a kind the batch has: the next label's number, read under the batch's lock. */
  async countOfKind(batchId: string, kind: DoseKind, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM doses WHERE batch_id = $1 AND kind = $2',
      [batchId, kind],
    );
    return rows[0].count;
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

  async insert(dose: NewDose, manager: EntityManager): Promise<DoseRow> {
    await manager.query(
      `INSERT INTO doses (id, batch_id, label, kind, booster_id, cells, volume_ml, formulated_at, expires_at,
         formulated_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        dose.id,
        dose.batchId,
        dose.label,
        dose.kind,
        dose.boosterId,
        dose.cells,
        dose.volumeMl,
        dose.formulatedAt,
        dose.expiresAt,
        dose.formulatedBy,
        dose.createdAt,
      ],
    );
    return (await this.findById(dose.id, manager)) as DoseRow;
  }

  async markDispatched(id: string, dispatchedAt: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE doses SET status = $2, dispatched_at = $3 WHERE id = $1`, [
      id,
      DoseStatus.DISPATCHED,
      dispatchedAt,
    ]);
  }

  async markReceived(id: string, receipt: DoseReceipt, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE doses SET status = $2, received_at = $3, receipt_temperature_c = $4, receipt_intact = $5,
         receipt_deviations = $6
       WHERE id = $1`,
      [
        id,
        receipt.status,
        receipt.receivedAt,
        receipt.temperatureC,
        receipt.intact,
        JSON.stringify(receipt.deviations),
      ],
    );
  }

  async markAdministered(
    id: string,
    administration: { administeredAt: Date; administeredBy: string; site: InjectionSite },
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE doses SET status = $2, administered_at = $3, administered_by = $4, site = $5 WHERE id = $1`,
      [
        id,
        DoseStatus.ADMINISTERED,
        administration.administeredAt,
        administration.administeredBy,
        administration.site,
      ],
    );
  }

  async markDestroyed(id: string, destroyedAt: Date, reason: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE doses SET status = $2, destroyed_at = $3, destruction_reason = $4 WHERE id = $1`,
      [id, DoseStatus.DESTROYED, destroyedAt, reason],
    );
  }

  /** The batch's doses not yet given, locked: a recall and a bedside administration cannot cross. */
  async lockUndeliveredOfBatch(batchId: string, manager: EntityManager): Promise<DoseRow[]> {
    return manager.query<DoseRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE d.batch_id = $1 AND d.status = ANY($2) ORDER BY d.label FOR UPDATE OF d`,
      [batchId, UNDELIVERED_DOSE_STATUSES],
    );
  }

  async markRecalled(ids: string[], recalledAt: Date, reason: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE doses SET status = $2, recalled_at = $3, recall_reason = $4 WHERE id = ANY($1)`,
      [ids, DoseStatus.RECALLED, recalledAt, reason],
    );
  }

  /**
   * Marks the batch recalled (its first recall time stays): it is no longer ready for injection and its vials
   * cannot be reserved. Answers the recall time before this one (null on the first recall).
   */
  async markBatchRecalled(batchId: string, recalledAt: Date, manager: EntityManager): Promise<Date | null> {
    const rows = await manager.query<{ previous: Date | null }[]>(
      `WITH previous AS (SELECT recalled_at FROM batches WHERE id = $1),
            marked AS (UPDATE batches SET recalled_at = coalesce(recalled_at, $2), updated_at = $2 WHERE id = $1 RETURNING id)
       SELECT (SELECT recalled_at FROM previous) AS previous FROM marked`,
      [batchId, recalledAt],
    );
    return rows[0]?.previous ?? null;
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async listOfBatch(
    batchId: string,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<DoseListRow[]> {
    return manager.query<DoseListRow[]>(
      `SELECT ${COLUMNS}, ${CURSOR_AT} FROM ${FROM}
        WHERE d.batch_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $4`,
      [batchId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
