import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QcTest, Specification, SpecLimit } from '../quality/domain/specification';

export type BoosterStatus = 'REQUESTED' | 'FORMULATED';

export interface BoosterRow {
  id: string;
  donorId: string;
  donorCode: string;
  clinicId: string;
  batchId: string;
  din: string;
  status: BoosterStatus;
  requestedBy: string;
  requestedAt: Date;
  doseId: string | null;
  formulatedAt: Date | null;
}

export interface NewBooster {
  id: string;
  donorId: string;
  clinicId: string;
  batchId: string;
  requestedBy: string;
  requestedAt: Date;
}

/** What decides whether a batch's banked vials may be drawn for a booster (docs/domain.md, rules 7, 13). */
export interface BatchDrawability {
  id: string;
  din: string;
  status: string;
  recalledAt: Date | null;
  /** Failing QC results recorded after release that no QA correction superseded. */
  postReleaseFailures: number;
  specificationId: string;
}

const BOOSTER_COLUMNS = `x.id, x.donor_id AS "donorId", d.code AS "donorCode", x.clinic_id AS "clinicId", x.batch_id AS "batchId",
  b.din, x.status, x.requested_by AS "requestedBy", x.requested_at AS "requestedAt", x.dose_id AS "doseId",
  x.formulated_at AS "formulatedAt"`;
const FROM = `boosters x JOIN donors d ON d.id = x.donor_id JOIN batches b ON b.id = x.batch_id`;

@Injectable()
export class BoostersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(booster: NewBooster, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO boosters (id, donor_id, clinic_id, batch_id, status, requested_by, requested_at)
       VALUES ($1, $2, $3, $4, 'REQUESTED', $5, $6)`,
      [
        booster.id,
        booster.donorId,
        booster.clinicId,
        booster.batchId,
        booster.requestedBy,
        booster.requestedAt,
      ],
    );
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<BoosterRow | null> {
    const rows = await manager.query<BoosterRow[]>(`SELECT ${BOOSTER_COLUMNS} FROM ${FROM} WHERE x.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async lockById(id: string, manager: EntityManager): Promise<BoosterRow | null> {
    const rows = await manager.query<BoosterRow[]>(
      `SELECT ${BOOSTER_COLUMNS} FROM ${FROM} WHERE x.id = $1 FOR UPDATE OF x`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** One booster, one dose: false when the booster has its dose already (boosters_dose_once holds it too). */
  async markFormulated(id: string, doseId: string, at: Date, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `WITH formulated AS (
         UPDATE boosters SET status = 'FORMULATED', dose_id = $2, formulated_at = $3 WHERE id = $1 AND dose_id IS NULL RETURNING id)
       SELECT id FROM formulated`,
      [id, doseId, at],
    );
    return rows.length === 1;
  }

  /**
   * The batch's drawability, read under FOR SHARE: a QC result recorded at the same moment (which takes the
   * batch FOR UPDATE and may recall it) comes either wholly before this reservation or wholly after.
   */
  async lockBatchDrawability(batchId: string, manager: EntityManager): Promise<BatchDrawability | null> {
    const rows = await manager.query<BatchDrawability[]>(
      `SELECT b.id, b.din, b.status, b.recalled_at AS "recalledAt", b.specification_id AS "specificationId",
              (SELECT count(*)::int FROM qc_results q
                WHERE q.batch_id = b.id AND q.recorded_after_release AND q.outcome = 'FAIL' AND q.superseded_by IS NULL)
                AS "postReleaseFailures"
         FROM batches b WHERE b.id = $1 FOR SHARE OF b`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  async specification(specificationId: string, manager: EntityManager): Promise<Specification | null> {
    const rows = await manager.query<
      { version: string; maxPassage: number; limits: Record<QcTest, SpecLimit> }[]
    >(`SELECT version, max_passage AS "maxPassage", limits FROM specifications WHERE id = $1`, [
      specificationId,
    ]);
    return rows[0] ?? null;
  }
}
