import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReceiptDeviation } from '../harvests/domain/receipt-assessment';

export interface LineageHarvestRow {
  id: string;
  tissue: string;
  volumeMl: number;
  collectedAt: Date;
  collectedBy: string;
  status: string;
  receivedAt: Date | null;
  receivedBy: string | null;
  temperatureC: number | null;
  intact: boolean | null;
  rejectionReason: string | null;
  deviations: ReceiptDeviation[];
}

export interface MaterialUsageRow {
  lotId: string;
  kind: string;
  name: string;
  lotNumber: string;
  lotExpiresAt: Date;
  eventType: string;
  eventId: string;
  usedAt: Date;
}

export interface LineageDeviationRow {
  id: string;
  description: string;
  severity: string;
  occurredAt: Date;
  status: string;
  openedBy: string;
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
  resolution: string | null;
}

export interface LineageDoseRow {
  id: string;
  label: string;
  kind: string;
  status: string;
  cells: number;
  volumeMl: number;
  formulatedAt: Date;
  expiresAt: Date;
  dispatchedAt: Date | null;
  receivedAt: Date | null;
  administeredAt: Date | null;
  administeredBy: string | null;
  site: string | null;
  destroyedAt: Date | null;
  recalledAt: Date | null;
}

/** The lineage's reads of other modules' tables, each named in READ_MODEL_TABLES; reads only. */
@Injectable()
export class LineageRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findHarvest(harvestId: string): Promise<LineageHarvestRow | null> {
    const rows = await this.db.query<LineageHarvestRow[]>(
      `SELECT id, tissue, volume_ml AS "volumeMl", collected_at AS "collectedAt", collected_by AS "collectedBy", status,
              received_at AS "receivedAt", received_by AS "receivedBy", temperature_c AS "temperatureC", intact,
              rejection_reason AS "rejectionReason", deviations
         FROM harvests WHERE id = $1`,
      [harvestId],
    );
    return rows[0] ?? null;
  }

  findMaterialUsages(batchId: string): Promise<MaterialUsageRow[]> {
    return this.db.query<MaterialUsageRow[]>(
      `SELECT l.id AS "lotId", l.kind, l.name, l.lot_number AS "lotNumber", l.expires_at AS "lotExpiresAt",
              u.event_type AS "eventType", u.event_id AS "eventId", u.used_at AS "usedAt"
         FROM material_usages u JOIN material_lots l ON l.id = u.lot_id
        WHERE u.batch_id = $1
        ORDER BY u.used_at, u.id`,
      [batchId],
    );
  }

  findDeviations(batchId: string): Promise<LineageDeviationRow[]> {
    return this.db.query<LineageDeviationRow[]>(
      `SELECT id, description, severity, occurred_at AS "occurredAt", status, opened_by AS "openedBy", opened_at AS "openedAt",
              closed_by AS "closedBy", closed_at AS "closedAt", resolution
         FROM deviations WHERE batch_id = $1 ORDER BY opened_at, id`,
      [batchId],
    );
  }

  findDoses(batchId: string): Promise<LineageDoseRow[]> {
    return this.db.query<LineageDoseRow[]>(
      `SELECT id, label, kind, status, cells, volume_ml AS "volumeMl", formulated_at AS "formulatedAt", expires_at AS "expiresAt",
              dispatched_at AS "dispatchedAt", received_at AS "receivedAt", administered_at AS "administeredAt",
              administered_by AS "administeredBy", site, destroyed_at AS "destroyedAt", recalled_at AS "recalledAt"
         FROM doses WHERE batch_id = $1 ORDER BY formulated_at, label`,
      [batchId],
    );
  }

  async findBatchOfDose(doseId: string): Promise<string | null> {
    const rows = await this.db.query<{ batchId: string }[]>(
      `SELECT batch_id AS "batchId" FROM doses WHERE id = $1`,
      [doseId],
    );
    return rows[0]?.batchId ?? null;
  }
}
