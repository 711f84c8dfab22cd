import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { Clock } from '../common/clock/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { EventBus } from '../common/events/event-bus';
import { BankingConsentChanged } from '../donors/events/banking-consent-changed.event';
import { bankingConsentInForce } from '../donors/domain/consent-terms';
import { DonorsService } from '../donors/donors.service';
import { BatchesService } from '../batches/batches.service';
import { dueHorizon, ReviewOutcome, reviewStatus, StoredReviewStatus } from './domain/review-status';
import { VialStatus } from './domain/vial-state-machine';
import {
  DecideStorageReviewDto,
  ListStorageReviewsQuery,
  reviewVialView,
  StorageReviewViewDto,
} from './dto/storage-review.dto';
import { ReviewScheduler } from './review-scheduler.service';
import { StorageReviewRow, StorageReviewsRepository } from './storage-reviews.repository';
import { ReviewVialRow, VialsRepository } from './vials.repository';
import { VialsService } from './vials.service';

/**
 * Storage reviews (docs/domain.md): QA's periodic decision to keep or dispose of a donor's banked vials. The reviews
 * themselves are kept current by ReviewScheduler inside the commands that change a date, including the donor's
 * consent command, through the hook registered here.
 */
@Injectable()
export class StorageReviewsService implements OnModuleInit {
  constructor(
    private readonly reviews: StorageReviewsRepository,
    private readonly vials: VialsRepository,
    private readonly vialCommands: VialsService,
    private readonly scheduler: ReviewScheduler,
    private readonly donors: DonorsService,
    private readonly batches: BatchesService,
    private readonly events: EventBus,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** Rule 2 (docs/domain.md): review dates move inside the transaction that records a changed banking consent. */
  onModuleInit(): void {
    this.events.onEvent(BankingConsentChanged, 'bank.review-dates', (tx, change) =>
      this.scheduler.onBankingConsentChanged(tx, change),
    );
  }

  // ---------------------------------------------------------------- for the storage-review sweep (src/jobs)

  /** The review as stored, read in the caller's transaction. */
  reviewOf(reviewId: string, manager: EntityManager): Promise<StorageReviewRow | null> {
    return this.reviews.findById(reviewId, manager);
  }

  /** The reviews an event's subject stands for: the review, or the undecided reviews of a donor or a batch's donor. */
  async undecidedIdsOfSubject(subjectType: string, subjectId: string): Promise<string[]> {
    if (subjectType === 'storage_review') return [subjectId];
    const donorId =
      subjectType === 'donor'
        ? subjectId
        : subjectType === 'batch'
          ? (await this.batches.identityOf(subjectId))?.donorId
          : undefined;
    return donorId ? this.reviews.undecidedIdsOfDonor(donorId) : [];
  }

  undecidedIdsDueBy(until: Date): Promise<string[]> {
    return this.reviews.undecidedIdsDueBy(until);
  }

  // ---------------------------------------------------------------- the routes

  async list(query: ListStorageReviewsQuery): Promise<Page<StorageReviewViewDto>> {
    const now = this.clock.now();
    const rows = await this.reviews.list(
      { status: query.status ?? null, clinicId: query.clinicId ?? null, horizon: dueHorizon(now) },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    const shown = rows.slice(0, query.limit);
    const vials = await this.vials.findOfReviews(
      shown.filter((r) => r.status !== StoredReviewStatus.DECIDED).map((r) => r.id),
      shown.flatMap((r) => r.decidedVialIds ?? []),
    );
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) => this.view(row, vials, now),
    );
  }

  async get(reviewId: string): Promise<StorageReviewViewDto> {
    const review = await this.reviews.findById(reviewId);
    if (!review) throw notFound('Storage review', reviewId);
    return this.viewWithVials(review);
  }

  /**
   * Checks, in order: review 404; decided already (409 ALREADY_DECIDED); DISPOSE while a vial is RESERVED for a
   * booster (409 INVALID_TRANSITION); RETAIN without banking consent in force (422 CONSENT_MISSING). Two QA users
   * deciding at once queue on the donor's bank lock and the review's row; the second finds it decided, and the
   * storage_reviews_decided_once trigger refuses any second decision that got past both.
   */
  async decide(user: AuthUser, reviewId: string, dto: DecideStorageReviewDto): Promise<StorageReviewViewDto> {
    await this.transactions.run(actorOf(user), async (tx) => {
      const peek = await this.reviews.findById(reviewId, tx.manager);
      if (!peek) throw notFound('Storage review', reviewId);
      await this.scheduler.lockDonor(tx, peek.donorId);
      const review = (await this.reviews.lockById(reviewId, tx.manager)) as StorageReviewRow;
      if (review.status === StoredReviewStatus.DECIDED) throw alreadyDecided(review);
      const vials = await this.vials.lockLiveOfReview(reviewId, tx.manager);

      const consent = await this.donors.currentConsent(review.donorId, tx.manager);
      if (dto.outcome === ReviewOutcome.DISPOSE) {
        const reserved = vials.filter((vial) => vial.status === VialStatus.RESERVED);
        if (reserved.length > 0) {
          throw new DomainError(
            ErrorCode.INVALID_TRANSITION,
            'Vials reserved for a booster cannot be disposed of',
            {
              vials: reserved.map((vial) => ({ label: vial.label, boosterId: vial.boosterId })),
            },
          );
        }
      } else if (!bankingConsentInForce(consent, tx.now)) {
        throw new DomainError(
          ErrorCode.CONSENT_MISSING,
          'Banked cells are retained only under a banking consent in force',
          {
            donorId: review.donorId,
            consentId: consent?.id ?? null,
            bankingExpiresAt: consent?.bankingExpiresAt ?? null,
          },
        );
      }

      const decision = {
        outcome: dto.outcome,
        decidedAt: tx.now,
        decidedBy: user.id,
        notes: dto.notes ?? null,
        vialIds: vials.map((vial) => vial.id),
      };
      if (!(await this.reviews.decide(reviewId, decision, tx.manager))) throw alreadyDecided(review);
      const reason = `Storage review due ${review.dueAt.toISOString()}: ${dto.outcome}${dto.notes ? ` (${dto.notes})` : ''}`;
      let retainedUntil: Date | null = null;
      if (dto.outcome === ReviewOutcome.DISPOSE) {
        await this.vialCommands.discardLocked(tx, vials, reason, { reviewId });
      } else if (vials.length > 0) {
        // The periodic schedule starts again from this decision (docs/domain.md: decision + 12 months or consent expiry).
        retainedUntil = this.scheduler.dueAt(tx.now, consent, tx.now);
        const dueAt = retainedUntil;
        await this.scheduler.place(
          tx,
          { id: review.donorId, clinicId: review.clinicId },
          vials.map((vial) => ({ vial, dueAt, reviewBaseAt: tx.now })),
          { reason, recordInHistory: true },
        );
      }
      tx.audit({
        action: 'storage_review.decided',
        entityType: 'storage_review',
        entityId: reviewId,
        before: { status: review.status, dueAt: review.dueAt },
        after: {
          status: StoredReviewStatus.DECIDED,
          outcome: dto.outcome,
          decidedAt: tx.now,
          notes: dto.notes ?? null,
          vials: vials.map((vial) => ({ id: vial.id, label: vial.label })),
          nextReviewAt: retainedUntil,
        },
        reason,
      });
      tx.emit({
        type: DomainEvent.STORAGE_REVIEW_CHANGED,
        subjectType: 'storage_review',
        subjectId: reviewId,
        payload: { donorId: review.donorId, outcome: dto.outcome },
      });
    });
    return this.get(reviewId);
  }

  private async viewWithVials(review: StorageReviewRow): Promise<StorageReviewViewDto> {
    const decided = review.status === StoredReviewStatus.DECIDED;
    const vials = await this.vials.findOfReviews(decided ? [] : [review.id], review.decidedVialIds ?? []);
    return this.view(review, vials, this.clock.now());
  }

  private view(review: StorageReviewRow, vials: readonly ReviewVialRow[], now: Date): StorageReviewViewDto {
    const decided = review.status === StoredReviewStatus.DECIDED;
    const named = new Set(review.decidedVialIds ?? []);
    const own = vials.filter((vial) =>
      decided ? named.has(vial.id) : vial.reviewId === review.id && isInTank(vial),
    );
    return {
      id: review.id,
      donorId: review.donorId,
      donorCode: review.donorCode,
      clinicId: review.clinicId,
      dueAt: review.dueAt,
      status: reviewStatus(review.status, review.dueAt, now),
      outcome: review.outcome,
      decidedAt: review.decidedAt,
      decidedBy: review.decidedBy,
      notes: review.notes,
      vials: own.map(reviewVialView),
    };
  }
}

function isInTank(vial: ReviewVialRow): boolean {
  return vial.status === VialStatus.STORED || vial.status === VialStatus.RESERVED;
}

function alreadyDecided(review: StorageReviewRow): DomainError {
  return new DomainError(ErrorCode.ALREADY_DECIDED, 'This storage review has been decided already', {
    reviewId: review.id,
    outcome: review.outcome,
    decidedAt: review.decidedAt,
  });
}
