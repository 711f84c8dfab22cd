import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MAX_GRID, StorageKind } from './domain/storage-hierarchy';
import { LIVE_VIAL_STATUSES_SQL } from './domain/vial-state-machine';

export interface StorageUnitRow {
  id: string;
  name: string;
  kind: StorageKind;
  parentId: string | null;
  rootId: string;
  rootKind: StorageKind;
  biohazard: boolean;
  rows: number | null;
  cols: number | null;
  path: string;
  createdBy: string;
  createdAt: Date;
}

export interface NewStorageUnit {
  id: string;
  name: string;
  kind: StorageKind;
  parentId: string | null;
  parentKind: StorageKind | null;
  rootId: string;
  rootKind: StorageKind;
  biohazard: boolean;
  rows: number | null;
  cols: number | null;
  path: string;
  createdBy: string;
  createdAt: Date;
}

/** A live vial in a box's position. */
export interface OccupiedPositionRow {
  row: number;
  col: number;
  vialId: string;
  label: string;
  status: string;
  batchId: string;
}

export interface FreePositionRow {
  boxId: string;
  row: number;
  col: number;
}

const UNIT_COLUMNS = `u.id, u.name, u.kind, u.parent_id AS "parentId", u.root_id AS "rootId", u.root_kind AS "rootKind",
  u.biohazard, u.rows, u.cols, u.path, u.created_by AS "createdBy", u.created_at AS "createdAt"`;

@Injectable()
export class StorageUnitsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(unit: NewStorageUnit, manager: EntityManager): Promise<StorageUnitRow> {
    await manager.query(
      `INSERT INTO storage_units (id, name, kind, parent_id, parent_kind, root_id, root_kind, biohazard, rows, cols, path,
         created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        unit.id,
        unit.name,
        unit.kind,
        unit.parentId,
        unit.parentKind,
        unit.rootId,
        unit.rootKind,
        unit.biohazard,
        unit.rows,
        unit.cols,
        unit.path,
        unit.createdBy,
        unit.createdAt,
      ],
    );
    return (await this.findById(unit.id, manager)) as StorageUnitRow;
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<StorageUnitRow | null> {
    const rows = await manager.query<StorageUnitRow[]>(
      `SELECT ${UNIT_COLUMNS} FROM storage_units u WHERE u.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The unit's row, locked for a change of its name (the one thing about a unit that changes). */
  async lockById(id: string, manager: EntityManager): Promise<StorageUnitRow | null> {
    const rows = await manager.query<StorageUnitRow[]>(
      `SELECT ${UNIT_COLUMNS} FROM storage_units u WHERE u.id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Renames the unit; the paths of the unit and of everything below it take the new name. */
  async rename(unit: StorageUnitRow, name: string, path: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `WITH RECURSIVE tree AS (
         SELECT id FROM storage_units WHERE id = $1
         UNION ALL
         SELECT c.id FROM storage_units c JOIN tree t ON c.parent_id = t.id)
       UPDATE storage_units u SET name = CASE WHEN u.id = $1 THEN $2 ELSE u.name END,
              path = $3 || substr(u.path, $4 + 1)
         FROM tree WHERE u.id = tree.id`,
      [unit.id, name, path, unit.path.length],
    );
  }

  /** The units with these ids (boxes or not: the caller judges). Units never change, so no lock is needed. */
  async findByIds(
    ids: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<StorageUnitRow[]> {
    return manager.query<StorageUnitRow[]>(
      `SELECT ${UNIT_COLUMNS} FROM storage_units u WHERE u.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async childrenOf(id: string, manager: EntityManager = this.db.manager): Promise<StorageUnitRow[]> {
    return manager.query<StorageUnitRow[]>(
      `SELECT ${UNIT_COLUMNS} FROM storage_units u WHERE u.parent_id = $1 ORDER BY u.name, u.id`,
      [id],
    );
  }

  /** The box's live vials by position (the vials_one_live_per_position index). */
  async occupiedPositions(
    boxId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<OccupiedPositionRow[]> {
    return manager.query<OccupiedPositionRow[]>(
      `SELECT v.pos_row AS row, v.pos_col AS col, v.id AS "vialId", v.label, v.status, v.batch_id AS "batchId"
         FROM vials v
        WHERE v.box_id = $1 AND v.status IN ${LIVE_VIAL_STATUSES_SQL}
        ORDER BY v.pos_row, v.pos_col`,
      [boxId],
    );
  }

  /**
   * Up to `count` free positions in the boxes at or under the unit, boxes in the order of their path (names from
   * the root down), then row by row. The boxes are walked in that order and each contributes its free positions
   * (its grid less the live positions, through the partial unique index), so an incremental sort stops as soon as
   * `count` are found: a few milliseconds for a whole tank of a million vials. The grid is generated from the
   * constant 1..20 (filtered by the box's size) so the planner's estimate stays small, which keeps PostgreSQL's
   * JIT (hundreds of milliseconds to compile) out of a look-up.
   */
  async freePositions(
    unitId: string,
    count: number,
    manager: EntityManager = this.db.manager,
  ): Promise<FreePositionRow[]> {
    return manager.query<FreePositionRow[]>(
      `WITH RECURSIVE tree AS (
         SELECT id, kind, rows, cols, path FROM storage_units WHERE id = $1
         UNION ALL
         SELECT c.id, c.kind, c.rows, c.cols, c.path FROM storage_units c JOIN tree t ON c.parent_id = t.id
          WHERE t.kind <> 'BOX'
       )
       SELECT b.id AS "boxId", p.pos_row AS row, p.pos_col AS col
         FROM (SELECT id, rows, cols, path FROM tree WHERE kind = 'BOX' ORDER BY path, id) b
         CROSS JOIN LATERAL (
           SELECT r AS pos_row, c AS pos_col
             FROM generate_series(1, ${MAX_GRID}) r CROSS JOIN generate_series(1, ${MAX_GRID}) c
            WHERE r <= b.rows AND c <= b.cols
              AND NOT EXISTS (
                    SELECT 1 FROM vials v
                     WHERE v.box_id = b.id AND v.pos_row = r AND v.pos_col = c AND v.status IN ${LIVE_VIAL_STATUSES_SQL})
            ORDER BY r, c
            LIMIT $2
         ) p
        ORDER BY b.path, b.id, p.pos_row, p.pos_col
        LIMIT $2`,
      [unitId, count],
    );
  }
}
