import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VialStatus, LIVE_VIAL_STATUSES_SQL } from './domain/vial-state-machine';

export interface Position {
  boxId: string;
  row: number;
  col: number;
}

export interface VialRow {
  id: string;
  label: string;
  batchId: string;
  din: string;
  /** The batch's biohazard class now (a donor found reactive later makes it biohazard). */
  batchBiohazard: boolean;
  ordinal: number;
  donorId: string;
  donorCode: string;
  clinicId: string;
  cryopreservationId: string;
  cells: number;
  status: VialStatus;
  boxId: string;
  boxPath: string;
  row: number;
  col: number;
  frozenAt: Date;
  reviewBaseAt: Date;
  nextReviewAt: Date;
  reviewId: string | null;
  boosterId: string | null;
  thawedAt: Date | null;
  thawedBy: string | null;
  postThawViabilityPct: number | null;
  witnessId: string | null;
  discardedAt: Date | null;
  discardedBy: string | null;
  discardReason: string | null;
  createdAt: Date;
}

/** A vial as a storage review lists it. */
export type ReviewVialRow = Pick<
  VialRow,
  | 'id'
  | 'label'
  | 'status'
  | 'cells'
  | 'boxId'
  | 'row'
  | 'col'
  | 'nextReviewAt'
  | 'reviewId'
  | 'batchId'
  | 'din'
>;

export interface VialListRow extends VialRow {
  cursorAt: string;
}

export interface NewVial {
  id: string;
  label: string;
  batchId: string;
  ordinal: number;
  donorId: string;
  clinicId: string;
  cryopreservationId: string;
  cells: number;
  box: { id: string; rows: number; cols: number; rootKind: string };
  row: number;
  col: number;
  frozenAt: Date;
  nextReviewAt: Date;
  createdBy: string;
  createdAt: Date;
}

export type VialEventKind = 'FROZEN' | 'MOVED' | 'RESERVED' | 'THAWED' | 'DISCARDED' | 'REVIEW_RESCHEDULED';

export interface NewVialEvent {
  vialId: string;
  event: VialEventKind;
  at: Date;
  recordedAt: Date;
  actorId: string | null;
  actorRole: string;
  fromStatus: VialStatus | null;
  toStatus: VialStatus;
  from: Position | null;
  to: Position | null;
  reason: string | null;
  details: Record<string, unknown>;
}

export interface VialEventRow {
  id: number;
  vialId: string;
  event: VialEventKind;
  at: Date;
  recordedAt: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string;
  fromStatus: VialStatus | null;
  toStatus: VialStatus;
  fromBoxId: string | null;
  fromRow: number | null;
  fromCol: number | null;
  boxId: string | null;
  row: number | null;
  col: number | null;
  reason: string | null;
  details: Record<string, unknown>;
}

export interface VialListFilter {
  scopeClinicId: string | null;
  batchId: string | null;
  donorId: string | null;
  status: VialStatus | null;
}

export interface ReviewAssignment {
  vialId: string;
  reviewId: string;
  nextReviewAt: Date;
  /** Set when the periodic schedule starts again (a RETAIN decision); absent keeps the vial's base. */
  reviewBaseAt?: Date;
}

export interface ThawRecord {
  thawedAt: Date;
  thawedBy: string;
  witnessId: string;
  postThawViabilityPct: number;
  at: Date;
}

const LIVE = LIVE_VIAL_STATUSES_SQL;

const VIAL_COLUMNS = `v.id, v.label, v.batch_id AS "batchId", b.din, b.biohazard AS "batchBiohazard", v.ordinal, v.donor_id AS "donorId", d.code AS "donorCode",
  v.clinic_id AS "clinicId", v.cryopreservation_id AS "cryopreservationId", v.cells, v.status, v.box_id AS "boxId",
  u.path AS "boxPath", v.pos_row AS "row", v.pos_col AS "col", v.frozen_at AS "frozenAt", v.review_base_at AS "reviewBaseAt",
  v.next_review_at AS "nextReviewAt", v.review_id AS "reviewId", v.booster_id AS "boosterId", v.thawed_at AS "thawedAt",
  v.thawed_by AS "thawedBy", v.post_thaw_viability_pct AS "postThawViabilityPct", v.witness_id AS "witnessId",
  v.discarded_at AS "discardedAt", v.discarded_by AS "discardedBy", v.discard_reason AS "discardReason",
  v.created_at AS "createdAt"`;
const FROM = `vials v JOIN batches b ON b.id = v.batch_id JOIN donors d ON d.id = v.donor_id JOIN storage_units u ON u.id = v.box_id`;
const REVIEW_VIAL_COLUMNS = `v.id, v.label, v.status, v.cells, v.box_id AS "boxId", v.pos_row AS "row", v.pos_col AS "col",
  v.next_review_at AS "nextReviewAt", v.review_id AS "reviewId", v.batch_id AS "batchId",
  (SELECT b.din FROM batches b WHERE b.id = v.batch_id) AS din`;
const CURSOR_AT = `to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

/** The vials table and each vial's history (vial_events, append-only). */
@Injectable()
export class VialsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<VialRow | null> {
    const rows = await manager.query<VialRow[]>(`SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** By label: the vials_label_unique index. */
  async findByLabel(label: string, manager: EntityManager = this.db.manager): Promise<VialRow | null> {
    const rows = await manager.query<VialRow[]>(`SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.label = $1`, [
      label,
    ]);
    return rows[0] ?? null;
  }

  async findByIds(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.id = ANY($1::uuid[]) ORDER BY v.label`,
      [ids],
    );
  }

  /** The vial, locked until the transaction ends: every command on a vial queues on its row. */
  async lockById(id: string, manager: EntityManager): Promise<VialRow | null> {
    const rows = await manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.id = $1 FOR UPDATE OF v`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Several vials locked in id order, so two commands over overlapping vials cannot deadlock. */
  async lockByIds(ids: readonly string[], manager: EntityManager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.id = ANY($1::uuid[]) ORDER BY v.id FOR UPDATE OF v`,
      [ids],
    );
  }

  /**
   * The vials of these reviews: those in the tanks for undecided reviews (the vials_review_live index), or those
   * named (a decision's list). Only what a review shows, with the DIN looked up per vial, so a page of reviews
   * costs index probes whatever the size of the bank.
   */
  async findOfReviews(
    reviewIds: readonly string[],
    decidedVialIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<ReviewVialRow[]> {
    if (reviewIds.length === 0 && decidedVialIds.length === 0) return [];
    return manager.query<ReviewVialRow[]>(
      `SELECT ${REVIEW_VIAL_COLUMNS} FROM vials v WHERE v.review_id = ANY($1::uuid[]) AND v.status IN ${LIVE}
       UNION
       SELECT ${REVIEW_VIAL_COLUMNS} FROM vials v WHERE v.id = ANY($2::uuid[])
       ORDER BY label`,
      [reviewIds, decidedVialIds],
    );
  }

  /** The vials reserved for a booster (thawed or not), locked in id order. */
  async lockOfBooster(boosterId: string, manager: EntityManager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.booster_id = $1 ORDER BY v.id FOR UPDATE OF v`,
      [boosterId],
    );
  }

  async findOfBooster(boosterId: string, manager: EntityManager = this.db.manager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.booster_id = $1 ORDER BY v.label`,
      [boosterId],
    );
  }

  /** The donor's vials in the tanks, locked in id order (the vials_donor_live index). */
  async lockLiveOfDonor(donorId: string, manager: EntityManager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.donor_id = $1 AND v.status IN ${LIVE} ORDER BY v.id FOR UPDATE OF v`,
      [donorId],
    );
  }

  /** A review's vials in the tanks, locked in id order (the vials_review_live index). */
  async lockLiveOfReview(reviewId: string, manager: EntityManager): Promise<VialRow[]> {
    return manager.query<VialRow[]>(
      `SELECT ${VIAL_COLUMNS} FROM ${FROM} WHERE v.review_id = $1 AND v.status IN ${LIVE} ORDER BY v.id FOR UPDATE OF v`,
      [reviewId],
    );
  }

  /** The number the batch's next vial label takes; read under the batch's lock, the unique label is the last word. */
  async nextOrdinal(batchId: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<{ next: number }[]>(
      'SELECT coalesce(max(ordinal), 0) + 1 AS next FROM vials WHERE batch_id = $1',
      [batchId],
    );
    return rows[0].next;
  }

  /** Which of these positions hold a vial in the tanks now, with its label. */
  async occupiedAmong(
    positions: readonly Position[],
    manager: EntityManager,
  ): Promise<(Position & { label: string })[]> {
    return manager.query<(Position & { label: string })[]>(
      `SELECT v.box_id AS "boxId", v.pos_row AS "row", v.pos_col AS "col", v.label
         FROM jsonb_to_recordset($1::jsonb) AS p("boxId" uuid, "row" integer, "col" integer)
         JOIN vials v ON v.box_id = p."boxId" AND v.pos_row = p."row" AND v.pos_col = p."col" AND v.status IN ${LIVE}
        ORDER BY v.box_id, v.pos_row, v.pos_col`,
      [JSON.stringify(positions)],
    );
  }

  /**
   * Stores the vials in one statement: if any position was taken meanwhile, vials_one_live_per_position refuses
   * the whole statement, and with it the transaction (all or nothing).
   */
  async insertMany(vials: readonly NewVial[], manager: EntityManager): Promise<void> {
    const records = vials.map((v) => ({
      id: v.id,
      label: v.label,
      batch_id: v.batchId,
      ordinal: v.ordinal,
      donor_id: v.donorId,
      clinic_id: v.clinicId,
      cryopreservation_id: v.cryopreservationId,
      cells: v.cells,
      box_id: v.box.id,
      box_rows: v.box.rows,
      box_cols: v.box.cols,
      box_root_kind: v.box.rootKind,
      pos_row: v.row,
      pos_col: v.col,
      frozen_at: v.frozenAt.toISOString(),
      next_review_at: v.nextReviewAt.toISOString(),
      created_by: v.createdBy,
      created_at: v.createdAt.toISOString(),
    }));
    await manager.query(
      `INSERT INTO vials (id, label, batch_id, ordinal, donor_id, clinic_id, cryopreservation_id, cells, status, box_id,
         box_rows, box_cols, box_root_kind, pos_row, pos_col, frozen_at, review_base_at, next_review_at, created_by,
         created_at, updated_at)
       SELECT id, label, batch_id, ordinal, donor_id, clinic_id, cryopreservation_id, cells, 'STORED', box_id, box_rows,
              box_cols, box_root_kind, pos_row, pos_col, frozen_at, frozen_at, next_review_at, created_by, created_at, created_at
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, label text, batch_id uuid, ordinal integer, donor_id uuid,
              clinic_id uuid, cryopreservation_id uuid, cells bigint, box_id uuid, box_rows integer, box_cols integer,
              box_root_kind text, pos_row integer, pos_col integer, frozen_at timestamptz, next_review_at timestamptz,
              created_by uuid, created_at timestamptz)`,
      [JSON.stringify(records)],
    );
  }

  async markReserved(
    ids: readonly string[],
    boosterId: string,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE vials SET status = 'RESERVED', booster_id = $2, updated_at = $3 WHERE id = ANY($1::uuid[])`,
      [ids, boosterId, at],
    );
  }

  async markThawed(id: string, thaw: ThawRecord, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE vials SET status = 'THAWED', thawed_at = $2, thawed_by = $3, witness_id = $4, post_thaw_viability_pct = $5,
         updated_at = $6
       WHERE id = $1`,
      [id, thaw.thawedAt, thaw.thawedBy, thaw.witnessId, thaw.postThawViabilityPct, thaw.at],
    );
  }

  async markDiscarded(
    ids: readonly string[],
    by: string,
    reason: string,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE vials SET status = 'DISCARDED', discarded_at = $3, discarded_by = $2, discard_reason = $4, updated_at = $3
        WHERE id = ANY($1::uuid[])`,
      [ids, by, at, reason],
    );
  }

  /** A move: vials_one_live_per_position refuses a position taken meanwhile. */
  async move(
    id: string,
    box: { id: string; rows: number; cols: number; rootKind: string },
    row: number,
    col: number,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE vials SET box_id = $2, box_rows = $3, box_cols = $4, box_root_kind = $5, pos_row = $6, pos_col = $7,
         updated_at = $8
       WHERE id = $1`,
      [id, box.id, box.rows, box.cols, box.rootKind, row, col, at],
    );
  }

  async assignReviews(
    assignments: readonly ReviewAssignment[],
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    if (assignments.length === 0) return;
    await manager.query(
      `UPDATE vials v SET review_id = x.review_id, next_review_at = x.next_review_at,
              review_base_at = coalesce(x.review_base_at, v.review_base_at), updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS x(vial_id uuid, review_id uuid, next_review_at timestamptz,
              review_base_at timestamptz)
        WHERE v.id = x.vial_id`,
      [
        JSON.stringify(
          assignments.map((a) => ({
            vial_id: a.vialId,
            review_id: a.reviewId,
            next_review_at: a.nextReviewAt.toISOString(),
            review_base_at: a.reviewBaseAt?.toISOString() ?? null,
          })),
        ),
        at,
      ],
    );
  }

  async insertEvents(events: readonly NewVialEvent[], manager: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO vial_events (vial_id, event, at, recorded_at, actor_id, actor_role, from_status, to_status,
         from_box_id, from_row, from_col, box_id, pos_row, pos_col, reason, details)
       SELECT (e->>'vial_id')::uuid, e->>'event', (e->>'at')::timestamptz, (e->>'recorded_at')::timestamptz,
              (e->>'actor_id')::uuid, e->>'actor_role', e->>'from_status', e->>'to_status', (e->>'from_box_id')::uuid,
              (e->>'from_row')::integer, (e->>'from_col')::integer, (e->>'box_id')::uuid, (e->>'pos_row')::integer,
              (e->>'pos_col')::integer, e->>'reason', coalesce(e->'details', '{}'::jsonb)
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n)
        ORDER BY n`,
      [
        JSON.stringify(
          events.map((e) => ({
            vial_id: e.vialId,
            event: e.event,
            at: e.at.toISOString(),
            recorded_at: e.recordedAt.toISOString(),
            actor_id: e.actorId,
            actor_role: e.actorRole,
            from_status: e.fromStatus,
            to_status: e.toStatus,
            from_box_id: e.from?.boxId ?? null,
            from_row: e.from?.row ?? null,
            from_col: e.from?.col ?? null,
            box_id: e.to?.boxId ?? null,
            pos_row: e.to?.row ?? null,
            pos_col: e.to?.col ?? null,
            reason: e.reason,
            details: e.details,
          })),
        ),
      ],
    );
  }

  /** The history of these vials, oldest first per vial. */
  async eventsOf(
    vialIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<VialEventRow[]> {
    if (vialIds.length === 0) return [];
    return manager.query<VialEventRow[]>(
      `SELECT e.id, e.vial_id AS "vialId", e.event, e.at, e.recorded_at AS "recordedAt", e.actor_id AS "actorId",
              p.name AS "actorName", e.actor_role AS "actorRole", e.from_status AS "fromStatus", e.to_status AS "toStatus",
              e.from_box_id AS "fromBoxId", e.from_row AS "fromRow", e.from_col AS "fromCol", e.box_id AS "boxId",
              e.pos_row AS "row", e.pos_col AS "col", e.reason, e.details
         FROM vial_events e LEFT JOIN users p ON p.id = e.actor_id
        WHERE e.vial_id = ANY($1::uuid[])
        ORDER BY e.vial_id, e.id`,
      [vialIds],
    );
  }

  /** Newest first; each filter has its own index (vials_batch_created, vials_donor_created, vials_created). */
  async list(
    filter: VialListFilter,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<VialListRow[]> {
    return manager.query<VialListRow[]>(
      `SELECT ${VIAL_COLUMNS}, ${CURSOR_AT} FROM ${FROM}
        WHERE ($1::uuid IS NULL OR v.clinic_id = $1)
          AND ($2::uuid IS NULL OR v.batch_id = $2)
          AND ($3::uuid IS NULL OR v.donor_id = $3)
          AND ($4::text IS NULL OR v.status = $4)
          AND ($5::timestamptz IS NULL OR (v.created_at, v.id) < ($5::timestamptz, $6::uuid))
        ORDER BY v.created_at DESC, v.id DESC
        LIMIT $7`,
      [
        filter.scopeClinicId,
        filter.batchId,
        filter.donorId,
        filter.status,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit,
      ],
    );
  }
}
