import { Injectable } from '@nestjs/common';
import { FlagType, STORAGE_REVIEW_DUE_WITHIN_DAYS } from '../../flags/domain/flag-type';
import { FlagsService } from '../../flags/flags.service';
import { Clock } from '../../common/clock/clock';
import { FlagTally, subjectsToReconcile } from '../flag-tally';
import { EvaluateJobData, FlagJobResult, JobQueueName } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { WakeUps } from '../queues/wake-ups';
import { StoredReviewStatus } from '../../bank/domain/review-status';
import { StorageReviewsService } from '../../bank/storage-reviews.service';

const DUE_WINDOW_MS = STORAGE_REVIEW_DUE_WITHIN_DAYS * 24 * 3600 * 1000;

/**
 * STORAGE_REVIEW_DUE: an undecided review due within 30 days, or past; resolved when the review is decided
 * (by QA, or closed by the bank when no vial is left in it). A wake-up at the start of the 30-day window keeps
 * it on time between the hourly sweeps.
 */
@Injectable()
export class StorageReviewService {
  constructor(
    private readonly reviews: StorageReviewsService,
    private readonly flags: FlagsService,
    private readonly wakeUps: WakeUps,
    private readonly metrics: JobMetrics,
    private readonly clock: Clock,
  ) {}

  async evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    for (const reviewId of await this.reviews.undecidedIdsOfSubject(data.subjectType, data.subjectId)) {
      await this.reconcileReview(tally, reviewId);
    }
    return tally.done();
  }

  async sweep(): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    const due = await this.reviews.undecidedIdsDueBy(new Date(this.clock.now().getTime() + DUE_WINDOW_MS));
    for (const reviewId of subjectsToReconcile(
      due,
      await this.flags.openSubjectIds(FlagType.STORAGE_REVIEW_DUE),
    )) {
      await this.reconcileReview(tally, reviewId);
    }
    return tally.done();
  }

  private async reconcileReview(tally: FlagTally, reviewId: string): Promise<void> {
    const becomesDue: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(FlagType.STORAGE_REVIEW_DUE, reviewId, async (manager, now) => {
      const review = await this.reviews.reviewOf(reviewId, manager);
      if (!review) return null;
      const dueAt = new Date(review.dueAt);
      const undecided = review.status !== StoredReviewStatus.DECIDED;
      const windowStart = new Date(dueAt.getTime() - DUE_WINDOW_MS);
      if (undecided && windowStart > now) becomesDue.at = windowStart;
      return {
        holds: undecided && windowStart <= now,
        details: { donorId: review.donorId, donorCode: review.donorCode, dueAt: dueAt.toISOString() },
        placement: { clinicId: review.clinicId, batchId: null, doseId: null, reviewId },
      };
    });
    tally.add(FlagType.STORAGE_REVIEW_DUE, change);
    if (becomesDue.at) {
      await this.wakeUps.at(
        JobQueueName.STORAGE_REVIEW,
        { subjectType: 'storage_review', subjectId: reviewId },
        becomesDue.at,
      );
    }
  }
}
