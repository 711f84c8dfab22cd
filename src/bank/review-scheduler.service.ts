import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { DomainEvent } from '../common/events/domain-events';
import { TransactionContext } from '../common/transaction/transactions.service';
import type { BankingConsentChanged } from '../donors/events/banking-consent-changed.event';
import { BankingConsentTerms, dueOnWithdrawal, nextReviewAt } from './domain/review-schedule';
import { ReviewOutcome } from './domain/review-status';
import { StorageReviewsRepository } from './storage-reviews.repository';
import { NewVialEvent, ReviewAssignment, VialRow, VialsRepository } from './vials.repository';

/** A vial and the review date it should now have. */
export interface ReviewPlacement {
  vial: Pick<VialRow, 'id' | 'label' | 'status' | 'reviewId'> & { nextReviewAt: Date | null };
  dueAt: Date;
  /** Starts the periodic schedule again from here (a RETAIN decision). */
  reviewBaseAt?: Date;
}

export interface PlacementCause {
  reason: string;
  /** Record the new date in each vial's history (REVIEW_RESCHEDULED); a freezing records FROZEN instead. */
  recordInHistory: boolean;
}

/**
 * Keeps the storage reviews in step with the vials (API.md "Storage reviews"): one review per donor and due date,
 * created and updated in the transaction of the command that changes a date (freezing, a RETAIN decision, a
 * changed banking consent), and closed as NO_VIALS_LEFT in the transaction that takes its last vial out of the
 * tanks. Callers hold the donor's bank lock (StorageReviewsRepository.lockDonorBank).
 */
@Injectable()
export class ReviewScheduler {
  constructor(
    private readonly reviews: StorageReviewsRepository,
    private readonly vials: VialsRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  lockDonor(tx: TransactionContext, donorId: string): Promise<void> {
    return this.reviews.lockDonorBank(donorId, tx.manager);
  }

  /** The review date of a vial whose schedule runs from `reviewBase` under the consent in force. */
  dueAt(reviewBase: Date, consent: BankingConsentTerms | null, at: Date): Date {
    return nextReviewAt({
      reviewBase,
      intervalMonths: this.env.storageReviewIntervalMonths,
      timeZone: this.env.facilityTz,
      consent,
      at,
    });
  }

  /**
   * Puts each vial into the review of its date (creating the review when needed), closes the reviews the vials
   * left if nothing remains in them, and audits and announces every review touched. Answers the review id per vial.
   */
  async place(
    tx: TransactionContext,
    donor: { id: string; clinicId: string },
    placements: readonly ReviewPlacement[],
    cause: PlacementCause,
  ): Promise<Map<string, string>> {
    const reviewOfDue = new Map<number, string>();
    const created = new Set<string>();
    for (const dueAt of new Set(placements.map((p) => p.dueAt.getTime()))) {
      const review = await this.reviews.upsertPending(
        donor.id,
        donor.clinicId,
        new Date(dueAt),
        tx.now,
        tx.manager,
      );
      reviewOfDue.set(dueAt, review.id);
      if (review.created) created.add(review.id);
    }
    const assignments: ReviewAssignment[] = placements.map((p) => ({
      vialId: p.vial.id,
      reviewId: reviewOfDue.get(p.dueAt.getTime()) as string,
      nextReviewAt: p.dueAt,
      reviewBaseAt: p.reviewBaseAt,
    }));
    await this.vials.assignReviews(assignments, tx.now, tx.manager);
    if (cause.recordInHistory) {
      await this.vials.insertEvents(
        placements.map((p, i): NewVialEvent => ({
          vialId: p.vial.id,
          event: 'REVIEW_RESCHEDULED',
          at: tx.now,
          recordedAt: tx.now,
          actorId: tx.actor.id,
          actorRole: tx.actor.role,
          fromStatus: p.vial.status,
          toStatus: p.vial.status,
          from: null,
          to: null,
          reason: cause.reason,
          details: {
            previousReviewAt: p.vial.nextReviewAt,
            nextReviewAt: p.dueAt,
            previousReviewId: p.vial.reviewId,
            reviewId: assignments[i].reviewId,
          },
        })),
        tx.manager,
      );
    }

    for (const [dueAt, reviewId] of reviewOfDue) {
      const joined = placements.filter((p) => p.dueAt.getTime() === dueAt && p.vial.reviewId !== reviewId);
      if (joined.length === 0) continue;
      tx.audit({
        action: created.has(reviewId) ? 'storage_review.created' : 'storage_review.vials_added',
        entityType: 'storage_review',
        entityId: reviewId,
        before: null,
        after: {
          donorId: donor.id,
          clinicId: donor.clinicId,
          dueAt: new Date(dueAt),
          vials: joined.map((p) => ({
            id: p.vial.id,
            label: p.vial.label,
            previousReviewId: p.vial.reviewId,
          })),
        },
        reason: cause.reason,
      });
      this.announce(tx, reviewId, donor.id);
    }
    const left = placements.map((p) => p.vial.reviewId).filter((id): id is string => id !== null);
    await this.closeEmptied(tx, donor.id, left, cause.reason);
    return new Map(assignments.map((a) => [a.vialId, a.reviewId]));
  }

  /** Closes, as NO_VIALS_LEFT, those of the reviews that hold no vial in the tanks any more. */
  async closeEmptied(
    tx: TransactionContext,
    donorId: string,
    reviewIds: readonly string[],
    reason: string,
  ): Promise<void> {
    const closed = await this.reviews.closeEmptied([...new Set(reviewIds)], tx.now, tx.manager);
    for (const reviewId of closed) {
      tx.audit({
        action: 'storage_review.closed',
        entityType: 'storage_review',
        entityId: reviewId,
        before: { status: 'PENDING' },
        after: { status: 'DECIDED', outcome: ReviewOutcome.NO_VIALS_LEFT, decidedAt: tx.now },
        reason: `No vial of this review is left in the tanks (${reason})`,
      });
      this.announce(tx, reviewId, donorId);
    }
  }

  /**
   * DESIGN.md rule 2: a withdrawn banking consent makes the donor's banked vials due at once; a consent whose
   * expiry moved moves their dates (the earlier of the periodic date and the expiry). Runs inside the consent's
   * transaction, so the reviews are current the moment the consent is recorded.
   */
  async onBankingConsentChanged(tx: TransactionContext, change: BankingConsentChanged): Promise<void> {
    await this.reviews.lockDonorBank(change.donorId, tx.manager);
    const vials = await this.vials.lockLiveOfDonor(change.donorId, tx.manager);
    const placements: ReviewPlacement[] = [];
    for (const vial of vials) {
      const dueAt = change.current.banking
        ? this.dueAt(vial.reviewBaseAt, change.current, change.at)
        : dueOnWithdrawal(vial.nextReviewAt, change.at);
      if (dueAt.getTime() !== vial.nextReviewAt.getTime()) placements.push({ vial, dueAt });
    }
    if (placements.length === 0) return;
    const reason = change.withdrawn
      ? 'Banking consent withdrawn: the banked vials are due for review at once'
      : change.current.banking
        ? 'Banking consent changed: review dates follow its expiry'
        : 'No banking consent in force: the banked vials are due for review at once';
    await this.place(tx, { id: change.donorId, clinicId: change.clinicId }, placements, {
      reason,
      recordInHistory: true,
    });
  }

  private announce(tx: TransactionContext, reviewId: string, donorId: string): void {
    tx.emit({
      type: DomainEvent.STORAGE_REVIEW_CHANGED,
      subjectType: 'storage_review',
      subjectId: reviewId,
      payload: { donorId },
    });
  }
}
