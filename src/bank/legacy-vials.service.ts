import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { userIdOf } from '../common/transaction/actor';
import { TransactionContext } from '../common/transaction/transactions.service';
import { DomainEvent } from '../common/events/domain-events';
import { scheduleInProgress } from './domain/review-schedule';
import { dueHorizon } from './domain/review-status';
import { StorageKind, unsuitability, insideGrid } from './domain/storage-hierarchy';
import { VialStatus } from './domain/vial-state-machine';
import { LegacyVialsRepository, NewLegacyFreezing } from './legacy-vials.repository';
import { StorageReviewsRepository } from './storage-reviews.repository';
import { StorageUnitsRepository } from './storage-units.repository';
import { NewVial, Position, VialsRepository } from './vials.repository';

/** A legacy vial to bank: its batch and donor exist (created by the import if they were new). */
export interface LegacyVial extends Position {
  label: string;
  ordinal: number;
  batchId: string;
  din: string;
  donorId: string;
  clinicId: string;
  cells: number;
  frozenAt: Date;
}

/** A legacy vial's place as a file gives it, before any vial exists. */
export interface LegacyPlace extends Position {
  label: string;
  /** The batch's class: a box must be of it (false for a batch the import creates: no screening is recorded). */
  biohazard: boolean;
}

/** Why a place is refused, in the import's terms (src/imports/domain/import-line-code.ts). */
export type PlaceProblemCode =
  'BOX_UNKNOWN' | 'POSITION_OUTSIDE_BOX' | 'STORAGE_UNSUITABLE' | 'POSITION_TAKEN';

/** The problem of each label's place that is not free or fit, by label. */
export type PlaceProblems = Map<string, { code: PlaceProblemCode; field: 'boxId' | 'row'; message: string }>;

/** One freezing record holds at most this many vials (cryopreservations.vial_count). */
const VIALS_PER_FREEZING = 200;

/**
 * Legacy vials (docs/imports.md): the banked vials of a legacy bank's record, placed in this facility's tanks by
 * an import. They are checked like any freezing (a box, inside its grid, in a non-biohazard TANK, a free
 * position: rules 6 and 13) and stored as STORED vials with their FROZEN history and a storage review. A legacy
 * vial has been in a bank for years under a paper consent, so its periodic schedule goes on: its review falls on
 * the next anniversary of its freezing (STORAGE_REVIEW_INTERVAL_MONTHS), not on the day of the import, which
 * would make a whole legacy bank due for review at once.
 */
@Injectable()
export class LegacyVialsService {
  constructor(
    private readonly units: StorageUnitsRepository,
    private readonly vials: VialsRepository,
    private readonly legacy: LegacyVialsRepository,
    private readonly reviews: StorageReviewsRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** Which of these labels are vials already (of any state): a line naming one is imported already. */
  existingLabels(labels: readonly string[], manager: EntityManager): Promise<Set<string>> {
    return this.legacy.existingLabels(labels, manager);
  }

  /** Reads only: which places are missing, outside their box, unfit for the batch or taken. */
  async assessPlaces(fresh: readonly LegacyPlace[], manager: EntityManager): Promise<PlaceProblems> {
    const problems: PlaceProblems = new Map();
    const boxIds = [...new Set(fresh.map((p) => p.boxId))];
    const boxes = new Map((await this.units.findByIds(boxIds, manager)).map((unit) => [unit.id, unit]));
    const placeable: LegacyPlace[] = [];
    for (const place of fresh) {
      const box = boxes.get(place.boxId);
      if (!box || box.kind !== StorageKind.BOX || box.rows === null || box.cols === null) {
        problems.set(place.label, { code: 'BOX_UNKNOWN', field: 'boxId', message: 'no such box' });
      } else if (!insideGrid({ rows: box.rows, cols: box.cols }, place.row, place.col)) {
        problems.set(place.label, {
          code: 'POSITION_OUTSIDE_BOX',
          field: 'row',
          message: `row ${place.row}, col ${place.col} lies outside the box (${box.rows} rows x ${box.cols} cols)`,
        });
      } else {
        const unfit = unsuitability({ ...box, rows: box.rows, cols: box.cols }, place.biohazard);
        if (unfit) problems.set(place.label, { code: 'STORAGE_UNSUITABLE', field: 'boxId', message: unfit });
        else placeable.push(place);
      }
    }
    for (const taken of await this.vials.occupiedAmong(placeable, manager)) {
      for (const place of placeable.filter(
        (p) => p.boxId === taken.boxId && p.row === taken.row && p.col === taken.col,
      )) {
        problems.set(place.label, {
          code: 'POSITION_TAKEN',
          field: 'row',
          message: `the position holds vial ${taken.label}`,
        });
      }
    }
    return problems;
  }

  /**
   * Banks the vials (assessed in this transaction, under the import's lock): their freezings, the vials, their
   * FROZEN history, and the storage reviews of their donors, each vial due on the first anniversary of its
   * freezing after `scheduledAt` (the import's request, so a resumed run dates its vials as the first would).
   */
  async bank(
    tx: TransactionContext,
    vials: readonly LegacyVial[],
    scheduledAt: Date,
    importId: string,
  ): Promise<void> {
    if (vials.length === 0) return;
    const boxes = new Map(
      (await this.units.findByIds([...new Set(vials.map((v) => v.boxId))], tx.manager)).map((u) => [u.id, u]),
    );
    const { freezings, freezingOf } = freezingsOf(vials);
    const schedule = this.schedules(vials, scheduledAt);
    await this.legacy.insertFreezings(freezings, userIdOf(tx.actor), tx.now, tx.manager);
    const rows: NewVial[] = vials.map((vial) => {
      const box = boxes.get(vial.boxId);
      const { dueAt } = schedule(vial.frozenAt);
      return {
        id: randomUUID(),
        label: vial.label,
        batchId: vial.batchId,
        ordinal: vial.ordinal,
        donorId: vial.donorId,
        clinicId: vial.clinicId,
        cryopreservationId: freezingOf.get(vial.label) as string,
        cells: vial.cells,
        box: {
          id: vial.boxId,
          rows: box?.rows as number,
          cols: box?.cols as number,
          rootKind: box?.rootKind as string,
        },
        row: vial.row,
        col: vial.col,
        frozenAt: vial.frozenAt,
        nextReviewAt: dueAt,
        createdBy: userIdOf(tx.actor),
        createdAt: tx.now,
      };
    });
    await this.vials.insertMany(rows, tx.manager);
    await this.vials.insertEvents(
      rows.map((vial) => ({
        vialId: vial.id,
        event: 'FROZEN' as const,
        at: vial.frozenAt,
        recordedAt: tx.now,
        actorId: userIdOf(tx.actor),
        actorRole: tx.actor.role,
        fromStatus: null,
        toStatus: VialStatus.STORED,
        from: null,
        to: { boxId: vial.box.id, row: vial.row, col: vial.col },
        reason: 'imported from a legacy bank record',
        details: {
          cryopreservationId: vial.cryopreservationId,
          cells: vial.cells,
          nextReviewAt: vial.nextReviewAt,
          importId,
        },
      })),
      tx.manager,
    );
    const reviews = await this.placeInReviews(tx, rows, schedule);
    auditBanked(tx, rows, vials, reviews, importId);
  }

  /** Each freezing time's schedule at `at`, worked out once (a legacy batch's vials share their freezing). */
  private schedules(
    vials: readonly LegacyVial[],
    at: Date,
  ): (frozenAt: Date) => { dueAt: Date; since: Date } {
    const byFreezing = new Map<number, { dueAt: Date; since: Date }>();
    for (const { frozenAt } of vials) {
      if (!byFreezing.has(frozenAt.getTime()))
        byFreezing.set(
          frozenAt.getTime(),
          scheduleInProgress(frozenAt, this.env.storageReviewIntervalMonths, this.env.facilityTz, at),
        );
    }
    return (frozenAt) => byFreezing.get(frozenAt.getTime()) as { dueAt: Date; since: Date };
  }

  /**
   * Every vial of the chunk into its donor's review of its date, set-based (ReviewScheduler.place does this one
   * donor at a time; a legacy bank has tens of thousands of donors), with the review base moved to the
   * anniversary before, so that a consent recorded later counts the period from there (ReviewScheduler.dueAt).
   * The vials are new, so no review is left empty. Only the reviews due within the STORAGE_REVIEW_DUE window
   * are announced: the others have nothing to flag yet, and the storage-review sweep finds them when their
   * window opens (src/jobs/storage-review/storage-review.service.ts). Answers the reviews touched, for the audit.
   */
  private async placeInReviews(
    tx: TransactionContext,
    rows: readonly NewVial[],
    schedule: (frozenAt: Date) => { dueAt: Date; since: Date },
  ): Promise<BankedReview[]> {
    const wanted = new Map<string, { donorId: string; clinicId: string; dueAt: Date }>();
    for (const vial of rows) {
      const key = `${vial.donorId}/${vial.nextReviewAt.getTime()}`;
      if (!wanted.has(key))
        wanted.set(key, { donorId: vial.donorId, clinicId: vial.clinicId, dueAt: vial.nextReviewAt });
    }
    await this.reviews.lockDonorBanks([...new Set(rows.map((vial) => vial.donorId))], tx.manager);
    const reviews = await this.reviews.upsertPendingMany([...wanted.values()], tx.now, tx.manager);
    const reviewOf = new Map(
      reviews.map((review) => [`${review.donorId}/${review.dueAt.getTime()}`, review.id]),
    );
    await this.vials.assignReviews(
      rows.map((vial) => ({
        vialId: vial.id,
        reviewId: reviewOf.get(`${vial.donorId}/${vial.nextReviewAt.getTime()}`) as string,
        nextReviewAt: vial.nextReviewAt,
        reviewBaseAt: schedule(vial.frozenAt).since,
      })),
      tx.now,
      tx.manager,
    );
    const horizon = dueHorizon(tx.now);
    for (const review of reviews) {
      if (review.dueAt.getTime() > horizon.getTime()) continue;
      tx.emit({
        type: DomainEvent.STORAGE_REVIEW_CHANGED,
        subjectType: 'storage_review',
        subjectId: review.id,
        payload: { donorId: review.donorId },
      });
    }
    return reviews;
  }
}

type BankedReview = { id: string; donorId: string; dueAt: Date; created: boolean };

/** One freezing record per batch and freezing time, of at most VIALS_PER_FREEZING vials. */
function freezingsOf(vials: readonly LegacyVial[]): {
  freezings: NewLegacyFreezing[];
  freezingOf: Map<string, string>;
} {
  const groups = new Map<string, LegacyVial[]>();
  for (const vial of vials) {
    const key = `${vial.batchId}/${vial.frozenAt.getTime()}`;
    groups.set(key, [...(groups.get(key) ?? []), vial]);
  }
  const freezings: NewLegacyFreezing[] = [];
  const freezingOf = new Map<string, string>();
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += VIALS_PER_FREEZING) {
      const part = group.slice(start, start + VIALS_PER_FREEZING);
      const id = randomUUID();
      freezings.push({
        id,
        batchId: part[0].batchId,
        frozenAt: part[0].frozenAt,
        vialCount: part.length,
        totalCells: part.reduce((sum, vial) => sum + vial.cells, 0),
      });
      for (const vial of part) freezingOf.set(vial.label, id);
    }
  }
  return { freezings, freezingOf };
}

/**
 * One entry per chunk of an import for all its vials (and the reviews they joined) rather than one per vial:
 * a legacy bank holds hundreds of thousands of vials, and each entry is a round trip to the ledger.
 */
function auditBanked(
  tx: TransactionContext,
  rows: readonly NewVial[],
  vials: readonly LegacyVial[],
  reviews: readonly BankedReview[],
  importId: string,
): void {
  const dinOf = new Map(vials.map((vial) => [vial.batchId, vial.din]));
  tx.audit({
    action: 'vial.legacy_banked',
    entityType: 'import',
    entityId: importId,
    before: null,
    after: {
      vials: rows.map((vial) => ({
        id: vial.id,
        label: vial.label,
        batchId: vial.batchId,
        din: dinOf.get(vial.batchId),
        status: VialStatus.STORED,
        cells: vial.cells,
        frozenAt: vial.frozenAt,
        position: { boxId: vial.box.id, row: vial.row, col: vial.col },
        cryopreservationId: vial.cryopreservationId,
        nextReviewAt: vial.nextReviewAt,
      })),
      storageReviews: reviews.map((review) => ({
        id: review.id,
        donorId: review.donorId,
        created: review.created,
        dueAt: review.dueAt,
      })),
    },
    reason:
      'imported from a legacy bank record; each vial is due for review on the next anniversary of its freezing',
  });
}
