import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_SQL } from '../common/pagination/created-at-cursor';

export type MaterialKind =
  'COLLAGENASE' | 'MEDIUM' | 'SUPPLEMENT' | 'DISSOCIATION' | 'CRYOPROTECTANT' | 'OTHER';
export const MATERIAL_KINDS: readonly MaterialKind[] = [
  'COLLAGENASE',
  'MEDIUM',
  'SUPPLEMENT',
  'DISSOCIATION',
  'CRYOPROTECTANT',
  'OTHER',
];

export type UsageEventType = 'ISOLATION' | 'PASSAGE' | 'DOSE' | 'CRYOPRESERVATION';

export interface MaterialLotRow {
  id: string;
  kind: MaterialKind;
  name: string;
  lotNumber: string;
  expiresAt: Date;
  createdBy: string;
  createdAt: Date;
}

export interface MaterialLotListRow extends MaterialLotRow {
  cursorAt: string;
}

export interface NewMaterialLot {
  kind: MaterialKind;
  name: string;
  lotNumber: string;
  expiresAt: Date;
  createdBy: string;
  createdAt: Date;
}

export interface NewUsage {
  lotIds: readonly string[];
  batchId: string;
  eventType: UsageEventType;
  eventId: string;
  usedAt: Date;
}

/** One event of a batch that used the lot. Timestamps come back as ISO UTC strings built in SQL. */
export interface RecallEvent {
  eventType: UsageEventType;
  eventId: string;
  usedAt: string;
}

export interface RecallDose {
  id: string;
  label: string;
  kind: string;
  status: string;
  cells: number;
  formulatedAt: string;
  expiresAt: string;
  administeredAt: string | null;
  site: string | null;
  recalledAt: string | null;
  /** The dose itself was made with the lot (a DOSE usage), not only its batch. */
  madeWithLot: boolean;
}

export interface RecallBatchRow {
  id: string;
  din: string;
  dinCheck: string;
  status: string;
  biohazard: boolean;
  donorId: string;
  donorCode: string;
  clinicId: string;
  recalledAt: Date | null;
  events: RecallEvent[];
  doses: RecallDose[];
}

const LOT_COLUMNS = `id, kind, name, lot_number AS "lotNumber", expires_at AS "expiresAt", created_by AS "createdBy",
  created_at AS "createdAt"`;
const CURSOR_AT = CREATED_AT_CURSOR_SQL;

/** A timestamptz as the API writes times (ISO 8601, UTC, milliseconds), for values built into JSON in SQL. */
const iso = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

@Injectable()
export class MaterialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(lot: NewMaterialLot, manager: EntityManager): Promise<MaterialLotRow> {
    const rows = await manager.query<MaterialLotRow[]>(
      `INSERT INTO material_lots (kind, name, lot_number, expires_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${LOT_COLUMNS}`,
      [lot.kind, lot.name, lot.lotNumber, lot.expiresAt, lot.createdBy, lot.createdAt],
    );
    return rows[0];
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<MaterialLotRow | null> {
    const rows = await manager.query<MaterialLotRow[]>(
      `SELECT ${LOT_COLUMNS} FROM material_lots WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findByIds(ids: readonly string[], manager: EntityManager): Promise<MaterialLotRow[]> {
    return manager.query<MaterialLotRow[]>(
      `SELECT ${LOT_COLUMNS} FROM material_lots WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Newest first, in the order of the (created_at DESC, id) index; `after` is the last row's key. */
  async list(
    filter: { kind: MaterialKind | null; lotNumber: string | null },
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<MaterialLotListRow[]> {
    return manager.query<MaterialLotListRow[]>(
      `SELECT ${LOT_COLUMNS}, ${CURSOR_AT} FROM material_lots
        WHERE ($1::text IS NULL OR kind = $1)
          AND ($2::text IS NULL OR lot_number = $2)
          AND ($3::timestamptz IS NULL OR created_at < $3 OR (created_at = $3 AND id > $4::uuid))
        ORDER BY created_at DESC, id
        LIMIT $5`,
      [filter.kind, filter.lotNumber, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  async insertUsages(usage: NewUsage, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO material_usages (lot_id, batch_id, event_type, event_id, used_at)
       SELECT lot_id, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS lot_id`,
      [usage.lotIds, usage.batchId, usage.eventType, usage.eventId, usage.usedAt],
    );
  }

  /**
   * The recall list in one statement: it starts from the lot's usages (the (lot_id, batch_id) index), so its
   * cost follows how often the lot was used, not how many batches exist. Batches in order of first use.
   * The batches' banked vials come from the bank (VialRecordsService), added by MaterialsService.usage.
   */
  async recallList(lotId: string, manager: EntityManager = this.db.manager): Promise<RecallBatchRow[]> {
    return manager.query<RecallBatchRow[]>(
      `SELECT b.id, b.din, b.din_check AS "dinCheck", b.status, b.biohazard, b.donor_id AS "donorId",
              d.code AS "donorCode", b.clinic_id AS "clinicId", b.recalled_at AS "recalledAt",
              u.events, coalesce(x.doses, '[]'::json) AS doses
         FROM (SELECT batch_id, min(used_at) AS first_used_at,
                      json_agg(json_build_object('eventType', event_type, 'eventId', event_id, 'usedAt', ${iso('used_at')})
                               ORDER BY used_at, id) AS events,
                      array_agg(event_id) FILTER (WHERE event_type = 'DOSE') AS dose_ids
                 FROM material_usages
                WHERE lot_id = $1
                GROUP BY batch_id) u
         JOIN batches b ON b.id = u.batch_id
         JOIN donors d ON d.id = b.donor_id
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object(
                    'id', ds.id, 'label', ds.label, 'kind', ds.kind, 'status', ds.status, 'cells', ds.cells,
                    'formulatedAt', ${iso('ds.formulated_at')}, 'expiresAt', ${iso('ds.expires_at')},
                    'administeredAt', ${iso('ds.administered_at')}, 'site', ds.site, 'recalledAt', ${iso('ds.recalled_at')},
                    'madeWithLot', coalesce(ds.id = ANY(u.dose_ids), false))
                  ORDER BY ds.label) AS doses
             FROM doses ds
            WHERE ds.batch_id = b.id) x ON true
        ORDER BY u.first_used_at, b.id`,
      [lotId],
    );
  }
}
