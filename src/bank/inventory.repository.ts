import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LIVE_VIAL_STATUSES_SQL } from './domain/vial-state-machine';

export interface InventoryVialRow {
  id: string;
  label: string;
  donorId: string;
  batchId: string;
  din: string;
  status: string;
  cells: number;
  boxId: string;
  boxPath: string;
  row: number;
  col: number;
  frozenAt: Date;
  nextReviewAt: Date;
}

export interface InventoryDonorRow {
  id: string;
  code: string;
  clinicId: string;
}

const LIVE = `status IN ${LIVE_VIAL_STATUSES_SQL}`;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The bank's holdings per donor: what is in the tanks (STORED and RESERVED vials). */
@Injectable()
export class InventoryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The next `limit` donors (by id, after `afterDonorId`) with vials in the tanks, optionally of one clinic. A
   * loose index scan over the partial live-vial indexes: one index probe per donor found, so a page costs the
   * same at a million vials as at a thousand.
   */
  async donorsWithVials(
    clinicId: string | null,
    afterDonorId: string | null,
    limit: number,
    manager: EntityManager = this.db.manager,
  ): Promise<InventoryDonorRow[]> {
    // Two spellings rather than `$1 IS NULL OR ...`, so each uses its own partial index.
    const [clinic, params] =
      clinicId === null
        ? ['', [afterDonorId ?? ZERO_UUID, limit]]
        : ['AND v.clinic_id = $3', [afterDonorId ?? ZERO_UUID, limit, clinicId]];
    return manager.query<InventoryDonorRow[]>(
      `WITH RECURSIVE walk AS (
         (SELECT v.donor_id FROM vials v WHERE v.${LIVE} ${clinic} AND v.donor_id > $1 ORDER BY v.donor_id LIMIT 1)
         UNION ALL
         SELECT (SELECT v.donor_id FROM vials v
                  WHERE v.${LIVE} ${clinic} AND v.donor_id > w.donor_id
                  ORDER BY v.donor_id LIMIT 1)
           FROM walk w WHERE w.donor_id IS NOT NULL
       ),
       page AS (SELECT donor_id FROM walk WHERE donor_id IS NOT NULL LIMIT $2)
       SELECT d.id, d.code, d.clinic_id AS "clinicId" FROM page JOIN donors d ON d.id = page.donor_id ORDER BY d.id`,
      params,
    );
  }

  async donor(donorId: string, manager: EntityManager = this.db.manager): Promise<InventoryDonorRow | null> {
    const rows = await manager.query<InventoryDonorRow[]>(
      `SELECT id, code, clinic_id AS "clinicId" FROM donors WHERE id = $1`,
      [donorId],
    );
    return rows[0] ?? null;
  }

  /** The donors' vials in the tanks (the vials_donor_live index), soonest review first. */
  async liveVialsOf(
    donorIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<InventoryVialRow[]> {
    if (donorIds.length === 0) return [];
    return manager.query<InventoryVialRow[]>(
      `SELECT v.id, v.label, v.donor_id AS "donorId", v.batch_id AS "batchId", b.din, v.status, v.cells, v.box_id AS "boxId",
              u.path AS "boxPath", v.pos_row AS "row", v.pos_col AS "col", v.frozen_at AS "frozenAt",
              v.next_review_at AS "nextReviewAt"
         FROM vials v JOIN batches b ON b.id = v.batch_id JOIN storage_units u ON u.id = v.box_id
        WHERE v.donor_id = ANY($1::uuid[]) AND v.${LIVE}
        ORDER BY v.donor_id, v.next_review_at, v.label`,
      [donorIds],
    );
  }
}
