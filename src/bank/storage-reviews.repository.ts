import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReviewOutcome, StoredReviewStatus } from './domain/review-status';
import { LIVE_VIAL_STATUSES_SQL } from './domain/vial-state-machine';

export interface StorageReviewRow {
  id: string;
  donorId: string;
  donorCode: string;
  clinicId: string;
  dueAt: Date;
  status: StoredReviewStatus;
  outcome: ReviewOutcome | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  notes: string | null;
  decidedVialIds: string[] | null;
  createdAt: Date;
}

/** What the list shows: `DUE` and `PENDING` are split at `horizon` (now + 30 days). */
export interface ReviewListFilter {
  status: 'PENDING' | 'DUE' | 'DECIDED' | null;
  clinicId: string | null;
  horizon: Date;
}

export interface ReviewDecisionRecord {
  outcome: ReviewOutcome;
  decidedAt: Date;
  decidedBy: string | null;
  notes: string | null;
  vialIds: readonly string[];
}

const REVIEW_COLUMNS = `r.id, r.donor_id AS "donorId", d.code AS "donorCode", r.clinic_id AS "clinicId", r.due_at AS "dueAt",
  r.status, r.outcome, r.decided_at AS "decidedAt", r.decided_by AS "decidedBy", r.notes,
  r.decided_vial_ids AS "decidedVialIds", r.created_at AS "createdAt"`;
const FROM = `storage_reviews r JOIN donors d ON d.id = r.donor_id`;

// Any constant works: it names the advisory lock space of the bank's per-donor lock.
const DONOR_BANK_LOCK_SPACE = 731042;

@Injectable()
export class StorageReviewsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Serialises the bank's commands on one donor's vials and reviews (freezing, thawing, discarding, reviewing,
   * a consent change), so a review is never closed as empty while a vial is being put into it. Held to commit.
   */
  async lockDonorBank(donorId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [
      DONOR_BANK_LOCK_SPACE,
      donorId,
    ]);
  }

  /** {@link lockDonorBank} for several donors at once, in one order, so two such callers cannot deadlock. */
  async lockDonorBanks(donorIds: readonly string[], manager: EntityManager): Promise<void> {
    if (donorIds.length === 0) return;
    await manager.query(
      `SELECT pg_advisory_xact_lock($1::int, hashtext(d)) FROM unnest($2::text[]) AS d ORDER BY d`,
      [DONOR_BANK_LOCK_SPACE, [...donorIds]],
    );
  }

  /** {@link upsertPending} for several donors and dates, in one statement. */
  async upsertPendingMany(
    reviews: readonly { donorId: string; clinicId: string; dueAt: Date }[],
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; donorId: string; dueAt: Date; created: boolean }[]> {
    if (reviews.length === 0) return [];
    return manager.query<{ id: string; donorId: string; dueAt: Date; created: boolean }[]>(
      `INSERT INTO storage_reviews (donor_id, clinic_id, due_at, status, created_at, updated_at)
       SELECT x.donor_id, x.clinic_id, x.due_at, 'PENDING', $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS x(donor_id uuid, clinic_id uuid, due_at timestamptz)
        ORDER BY x.donor_id, x.due_at
       ON CONFLICT (donor_id, due_at) WHERE status = 'PENDING' DO UPDATE SET updated_at = EXCLUDED.updated_at
       RETURNING id, donor_id AS "donorId", due_at AS "dueAt", (xmax = 0) AS created`,
      [
        JSON.stringify(
          reviews.map((r) => ({ donor_id: r.donorId, clinic_id: r.clinicId, due_at: r.dueAt.toISOString() })),
        ),
        at,
      ],
    );
  }

  /**
   * The donor's undecided review for this date, created when missing. Concurrent callers meet on the
   * storage_reviews_one_pending index and share one review.
   */
  async upsertPending(
    donorId: string,
    clinicId: string,
    dueAt: Date,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; created: boolean }> {
    const rows = await manager.query<{ id: string; created: boolean }[]>(
      `INSERT INTO storage_reviews (donor_id, clinic_id, due_at, status, created_at, updated_at)
       VALUES ($1, $2, $3, 'PENDING', $4, $4)
       ON CONFLICT (donor_id, due_at) WHERE status = 'PENDING' DO UPDATE SET updated_at = EXCLUDED.updated_at
       RETURNING id, (xmax = 0) AS created`,
      [donorId, clinicId, dueAt, at],
    );
    return rows[0];
  }

  /** Closes those of the reviews that no longer hold a vial in the tanks; answers the ones closed. */
  async closeEmptied(reviewIds: readonly string[], at: Date, manager: EntityManager): Promise<string[]> {
    if (reviewIds.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>(
      `WITH closed AS (
         UPDATE storage_reviews r SET status = 'DECIDED', outcome = 'NO_VIALS_LEFT', decided_at = $2, updated_at = $2,
                decided_vial_ids = '{}'
          WHERE r.id = ANY($1::uuid[]) AND r.status = 'PENDING'
            AND NOT EXISTS (SELECT 1 FROM vials v WHERE v.review_id = r.id AND v.status IN ${LIVE_VIAL_STATUSES_SQL})
          RETURNING r.id)
       SELECT id FROM closed`,
      [reviewIds, at],
    );
    return rows.map((row) => row.id);
  }

  /** A donor's undecided reviews (what the STORAGE_REVIEW_DUE flag re-judges when the donor's bank changes). */
  async undecidedIdsOfDonor(donorId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM storage_reviews WHERE donor_id = $1 AND status <> 'DECIDED'`,
      [donorId],
    );
    return rows.map((row) => row.id);
  }

  /** Undecided reviews due by `until` (partial index storage_reviews_undecided_due). */
  async undecidedIdsDueBy(until: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM storage_reviews WHERE status <> 'DECIDED' AND due_at <= $1`,
      [until],
    );
    return rows.map((row) => row.id);
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<StorageReviewRow | null> {
    const rows = await manager.query<StorageReviewRow[]>(
      `SELECT ${REVIEW_COLUMNS} FROM ${FROM} WHERE r.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async lockById(id: string, manager: EntityManager): Promise<StorageReviewRow | null> {
    const rows = await manager.query<StorageReviewRow[]>(
      `SELECT ${REVIEW_COLUMNS} FROM ${FROM} WHERE r.id = $1 FOR UPDATE OF r`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Decides a PENDING review; false when it was decided already. The WHERE clause and the
   * storage_reviews_decided_once trigger both refuse a second decision, whatever the race.
   */
  async decide(id: string, decision: ReviewDecisionRecord, manager: EntityManager): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `WITH decided AS (
         UPDATE storage_reviews SET status = 'DECIDED', outcome = $2, decided_at = $3, decided_by = $4, notes = $5,
                decided_vial_ids = $6::uuid[], updated_at = $3
          WHERE id = $1 AND status = 'PENDING'
          RETURNING id)
       SELECT id FROM decided`,
      [id, decision.outcome, decision.decidedAt, decision.decidedBy, decision.notes, decision.vialIds],
    );
    return rows.length === 1;
  }

  /** Soonest due first; `after` is the (due_at, id) of the previous page's last review. */
  async list(
    filter: ReviewListFilter,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<(StorageReviewRow & { cursorAt: string })[]> {
    return manager.query<(StorageReviewRow & { cursorAt: string })[]>(
      `SELECT ${REVIEW_COLUMNS},
              to_char(r.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
         FROM ${FROM}
        WHERE ($1::text IS NULL
               OR ($1 = 'DECIDED' AND r.status = 'DECIDED')
               OR ($1 = 'DUE' AND r.status <> 'DECIDED' AND r.due_at <= $3)
               OR ($1 = 'PENDING' AND r.status <> 'DECIDED' AND r.due_at > $3))
          AND ($2::uuid IS NULL OR r.clinic_id = $2)
          AND ($4::timestamptz IS NULL OR (r.due_at, r.id) > ($4::timestamptz, $5::uuid))
        ORDER BY r.due_at, r.id
        LIMIT $6`,
      [filter.status, filter.clinicId, filter.horizon, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
