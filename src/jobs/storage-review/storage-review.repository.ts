import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface StorageReviewRow {
  id: string;
  donorId: string;
  donorCode: string;
  clinicId: string;
  dueAt: Date;
  /** PENDING or DECIDED as stored; DUE is derived from the date (docs/domain.md, "Storage reviews"). */
  status: string;
}

/**
 * The bank's storage reviews (migration 1764000020000) as the storage-review processor needs them. The sweep
 * reads only undecided reviews due by a date (partial index storage_reviews_undecided_due).
 */
@Injectable()
export class StorageReviewRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async review(reviewId: string, manager: EntityManager): Promise<StorageReviewRow | null> {
    const rows = await manager.query<StorageReviewRow[]>(
      `SELECT r.id, r.donor_id AS "donorId", donor.code AS "donorCode", r.clinic_id AS "clinicId",
              r.due_at AS "dueAt", r.status
         FROM storage_reviews r JOIN donors donor ON donor.id = r.donor_id
        WHERE r.id = $1`,
      [reviewId],
    );
    return rows[0] ?? null;
  }

  /**
   * The reviews an event's subject stands for: the review itself, or the undecided reviews of a donor (a
   * consent change) or of a batch's donor (vials frozen).
   */
  async reviewIdsOfSubject(subjectType: string, subjectId: string): Promise<string[]> {
    if (subjectType === 'storage_review') return [subjectId];
    const donor =
      subjectType === 'donor'
        ? '$1::uuid'
        : subjectType === 'batch'
          ? '(SELECT donor_id FROM batches WHERE id = $1)'
          : null;
    if (donor === null) return [];
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM storage_reviews WHERE donor_id = ${donor} AND status <> 'DECIDED'`,
      [subjectId],
    );
    return rows.map((row) => row.id);
  }

  /** Undecided reviews due by `until` (the sweep's active set). */
  async undecidedReviewIdsDueBy(until: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM storage_reviews WHERE status <> 'DECIDED' AND due_at <= $1`,
      [until],
    );
    return rows.map((row) => row.id);
  }
}
