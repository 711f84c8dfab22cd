import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VialHoldEntity } from './vial-hold.entity';

/** What placed a hold: an excursion, an adverse event under investigation, ... */
export interface HoldSource {
  type: string;
  id: string;
}

const HOLD_COLUMNS = `h.id, h.vial_id AS "vialId", h.source_type AS "sourceType", h.source_id AS "sourceId", h.reason,
  h.placed_at AS "placedAt", h.placed_by AS "placedBy", h.released_at AS "releasedAt", h.released_by AS "releasedBy",
  h.release_reason AS "releaseReason"`;

/** A hold with the vial's label and status, for the views of the source that placed it. */
export interface VialHoldRecord extends VialHoldEntity {
  vialLabel: string;
  vialStatus: string;
}

/** The `vial_holds` table (VialHoldEntity); the only code that reads or writes it. */
@Injectable()
export class VialHoldsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Holds each vial for the source; the ids newly held (a vial this source holds already is skipped). The
   * vials are locked FOR SHARE, in id order, first: a reservation (which locks them FOR UPDATE) comes wholly
   * before the hold or sees it.
   */
  async place(
    source: HoldSource,
    vialIds: readonly string[],
    hold: { reason: string; at: Date; by: string | null },
    manager: EntityManager,
  ): Promise<string[]> {
    const rows = await manager.query<{ vialId: string }[]>(
      `WITH locked AS (SELECT id FROM vials WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE)
       INSERT INTO vial_holds (vial_id, source_type, source_id, reason, placed_at, placed_by)
       SELECT id, $2, $3, $4, $5, $6 FROM locked
       ON CONFLICT (vial_id, source_type, source_id) DO NOTHING
       RETURNING vial_id AS "vialId"`,
      [vialIds, source.type, source.id, hold.reason, hold.at, hold.by],
    );
    return rows.map((row) => row.vialId);
  }

  /** Releases the source's open holds; the vial ids released. */
  async release(
    source: HoldSource,
    release: { reason: string; at: Date; by: string | null },
    manager: EntityManager,
  ): Promise<string[]> {
    const rows = await manager.query<[{ vialId: string }[], number]>(
      `UPDATE vial_holds SET released_at = $3, released_by = $4, release_reason = $5
        WHERE source_type = $1 AND source_id = $2 AND released_at IS NULL
       RETURNING vial_id AS "vialId"`,
      [source.type, source.id, release.at, release.by, release.reason],
    );
    return rows[0].map((row) => row.vialId);
  }

  /** The open holds on these vials (the vial_holds_active index). */
  openOf(vialIds: readonly string[], manager: EntityManager = this.db.manager): Promise<VialHoldEntity[]> {
    return manager.query<VialHoldEntity[]>(
      `SELECT ${HOLD_COLUMNS} FROM vial_holds h WHERE h.vial_id = ANY($1::uuid[]) AND h.released_at IS NULL
        ORDER BY h.placed_at, h.id`,
      [vialIds],
    );
  }

  /** Every hold the source placed, open or released, with its vial's label and status. */
  ofSource(source: HoldSource, manager: EntityManager = this.db.manager): Promise<VialHoldRecord[]> {
    return manager.query<VialHoldRecord[]>(
      `SELECT ${HOLD_COLUMNS}, v.label AS "vialLabel", v.status AS "vialStatus"
         FROM vial_holds h JOIN vials v ON v.id = h.vial_id
        WHERE h.source_type = $1 AND h.source_id = $2 ORDER BY v.label`,
      [source.type, source.id],
    );
  }
}
