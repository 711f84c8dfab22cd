import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { HarvestStatus, ReceiptDeviation } from './domain/receipt-assessment';

export type Tissue = 'ADIPOSE' | 'BONE_MARROW' | 'SYNOVIUM';

export interface HarvestRow {
  id: string;
  donorId: string;
  donorCode: string;
  clinicId: string;
  tissue: Tissue;
  volumeMl: number;
  collectedAt: Date;
  collectedBy: string;
  status: HarvestStatus;
  receivedAt: Date | null;
  receivedBy: string | null;
  temperatureC: number | null;
  intact: boolean | null;
  rejectionReason: string | null;
  deviations: ReceiptDeviation[];
  createdAt: Date;
}

export interface NewHarvest {
  donorId: string;
  clinicId: string;
  tissue: Tissue;
  volumeMl: number;
  collectedAt: Date;
  collectedBy: string;
  createdAt: Date;
}

export interface HarvestReceipt {
  status: 'RECEIVED' | 'REJECTED';
  receivedAt: Date;
  receivedBy: string;
  temperatureC: number;
  intact: boolean;
  rejectionReason: string | null;
  deviations: ReceiptDeviation[];
}

const HARVEST_COLUMNS = `h.id, h.donor_id AS "donorId", d.code AS "donorCode", h.clinic_id AS "clinicId", h.tissue,
  h.volume_ml AS "volumeMl", h.collected_at AS "collectedAt", h.collected_by AS "collectedBy", h.status,
  h.received_at AS "receivedAt", h.received_by AS "receivedBy", h.temperature_c AS "temperatureC", h.intact,
  h.rejection_reason AS "rejectionReason", h.deviations, h.created_at AS "createdAt"`;

@Injectable()
export class HarvestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(harvest: NewHarvest, manager: EntityManager): Promise<HarvestRow> {
    const rows = await manager.query<HarvestRow[]>(
      `WITH h AS (
         INSERT INTO harvests (donor_id, clinic_id, tissue, volume_ml, collected_at, collected_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING *)
       SELECT ${HARVEST_COLUMNS} FROM h JOIN donors d ON d.id = h.donor_id`,
      [
        harvest.donorId,
        harvest.clinicId,
        harvest.tissue,
        harvest.volumeMl,
        harvest.collectedAt,
        harvest.collectedBy,
        harvest.createdAt,
      ],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<HarvestRow | null> {
    const rows = await manager.query<HarvestRow[]>(
      `SELECT ${HARVEST_COLUMNS} FROM harvests h JOIN donors d ON d.id = h.donor_id WHERE h.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The harvest's row, locked to the end of the transaction: receipt and batch creation queue on it. */
  async lockById(id: string, manager: EntityManager): Promise<HarvestRow | null> {
    const rows = await manager.query<HarvestRow[]>(
      `SELECT ${HARVEST_COLUMNS} FROM harvests h JOIN donors d ON d.id = h.donor_id WHERE h.id = $1 FOR UPDATE OF h`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Only a harvest still COLLECTED takes a receipt; null when it is not (the caller holds the row lock). */
  async recordReceipt(
    id: string,
    receipt: HarvestReceipt,
    manager: EntityManager,
  ): Promise<HarvestRow | null> {
    const rows = await manager.query<HarvestRow[]>(
      `WITH h AS (
         UPDATE harvests
            SET status = $2, received_at = $3, received_by = $4, temperature_c = $5, intact = $6,
                rejection_reason = $7, deviations = $8::jsonb
          WHERE id = $1 AND status = 'COLLECTED'
         RETURNING *)
       SELECT ${HARVEST_COLUMNS} FROM h JOIN donors d ON d.id = h.donor_id`,
      [
        id,
        receipt.status,
        receipt.receivedAt,
        receipt.receivedBy,
        receipt.temperatureC,
        receipt.intact,
        receipt.rejectionReason,
        JSON.stringify(receipt.deviations),
      ],
    );
    return rows[0] ?? null;
  }
}
