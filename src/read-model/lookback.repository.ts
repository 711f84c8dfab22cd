import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface LookbackBatchRow {
  id: string;
  din: string;
  status: string;
  clinicId: string;
  donorCode: string;
}

export interface SharedLotBatchRow extends LookbackBatchRow {
  lots: { lotId: string; kind: string; name: string; lotNumber: string }[];
}

export interface LookbackDoseRow {
  id: string;
  batchId: string;
  label: string;
  kind: string;
  status: string;
  administeredAt: Date | null;
  site: string | null;
}

/** The look-back's reads of other modules' tables, each named in READ_MODEL_TABLES; reads only. */
@Injectable()
export class LookbackRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findBatch(batchId: string): Promise<LookbackBatchRow | null> {
    const rows = await this.db.query<LookbackBatchRow[]>(
      `SELECT b.id, b.din, b.status, b.clinic_id AS "clinicId", d.code AS "donorCode"
         FROM batches b JOIN donors d ON d.id = b.donor_id WHERE b.id = $1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  /**
   * Every other batch that used a lot this batch used, with the lots they share; `clinicId` limits them to one
   * clinic (a doctor's). Two index look-ups per lot (material_usages_batch, material_usages_lot).
   */
  sharedLotBatches(batchId: string, clinicId: string | null): Promise<SharedLotBatchRow[]> {
    return this.db.query<SharedLotBatchRow[]>(
      `WITH lots AS (SELECT DISTINCT lot_id FROM material_usages WHERE batch_id = $1),
            shared AS (SELECT DISTINCT u.batch_id, u.lot_id FROM material_usages u JOIN lots USING (lot_id)
                        WHERE u.batch_id <> $1)
       SELECT b.id, b.din, b.status, b.clinic_id AS "clinicId", d.code AS "donorCode",
              json_agg(json_build_object('lotId', l.id, 'kind', l.kind, 'name', l.name, 'lotNumber', l.lot_number)
                       ORDER BY l.lot_number, l.id) AS lots
         FROM shared s
         JOIN batches b ON b.id = s.batch_id
         JOIN donors d ON d.id = b.donor_id
         JOIN material_lots l ON l.id = s.lot_id
        WHERE $2::uuid IS NULL OR b.clinic_id = $2
        GROUP BY b.id, d.code
        ORDER BY b.din`,
      [batchId, clinicId],
    );
  }

  dosesOf(batchIds: readonly string[]): Promise<LookbackDoseRow[]> {
    if (batchIds.length === 0) return Promise.resolve([]);
    return this.db.query<LookbackDoseRow[]>(
      `SELECT id, batch_id AS "batchId", label, kind, status, administered_at AS "administeredAt", site
         FROM doses WHERE batch_id = ANY($1::uuid[]) ORDER BY batch_id, formulated_at, label`,
      [batchIds],
    );
  }
}
