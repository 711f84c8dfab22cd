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

const LOT_COLUMNS = `id, kind, name, lot_number AS "lotNumber", expires_at AS "expiresAt", created_by AS "createdBy",
  created_at AS "createdAt"`;
const CURSOR_AT = CREATED_AT_CURSOR_SQL;

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
}
