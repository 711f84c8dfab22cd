import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { userIdOf } from '../common/transaction/actor';
import { TransactionContext } from '../common/transaction/transactions.service';
import { DomainEvent } from '../common/events/domain-events';
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

/** The problem of each label's place that is not free or fit, by label. */
export type PlaceProblems = Map<string, { field: 'boxId' | 'row'; message: string }>;

/** One freezing record holds at most this many vials (cryopreservations.vial_count). */
const VIALS_PER_FREEZING = 200;

/**
 * Legacy vials (docs/imports.md): the banked vials of a legacy bank's record, placed in this facility's tanks by
 * an import. They are checked like any freezing (a box, inside its grid, in a non-biohazard TANK, a free
 * position: rules 6 and 13) and stored as STORED vials with their FROZEN history and a storage review: no banking
 * consent is recorded for a legacy donor, so they are due for review at the import (docs/domain.md, rule 2).
 */
@Injectable()
export class LegacyVialsService {
  constructor(
    private readonly units: StorageUnitsRepository,
    private readonly vials: VialsRepository,
    private readonly legacy: LegacyVialsRepository,
    private readonly reviews: StorageReviewsRepository,
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
        problems.set(place.label, { field: 'boxId', message: 'no such box' });
      } else if (!insideGrid({ rows: box.rows, cols: box.cols }, place.row, place.col)) {
        problems.set(place.label, {
          field: 'row',
          message: `row ${place.row}, col ${place.col} lies outside the box (${box.rows} rows x ${box.cols} cols)`,
        });
      } else {
        const unfit = unsuitability({ ...box, rows: box.rows, cols: box.cols }, place.biohazard);
        if (unfit) problems.set(place.label, { field: 'boxId', message: unfit });
        else placeable.push(place);
      }
    }
    for (const taken of await this.vials.occupiedAmong(placeable, manager)) {
      for (const place of placeable.filter(
        (p) => p.boxId === taken.boxId && p.row === taken.row && p.col === taken.col,
      )) {
        problems.set(place.label, { field: 'row', message: `the position holds vial ${taken.label}` });
      }
    }
    return problems;
  }

  /**
   * Banks the vials (assessed in this transaction, under the import's lock): their freezings, the vials, their
   * FROZEN history, each donor's storage review due at `dueAt`, and one audit entry per batch.
   */
  async bank(
    tx: TransactionContext,
    vials: readonly LegacyVial[],
    dueAt: Date,
    importId: string,
  ): Promise<void> {
    if (vials.length === 0) return;
    const boxes = new Map(
      (await this.units.findByIds([...new Set(vials.map((v) => v.boxId))], tx.manager)).map((u) => [u.id, u]),
    );
    const { freezings, freezingOf } = freezingsOf(vials);
    await this.legacy.insertFreezings(freezings, userIdOf(tx.actor), tx.now, tx.manager);
    const rows: NewVial[] = vials.map((vial) => {
      const box = boxes.get(vial.boxId);
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
          nextReviewAt: dueAt,
          importId,
        },
      })),
      tx.manager,
    );
    const reviews = await this.placeInReviews(tx, rows, dueAt);
    auditBanked(tx, rows, vials, reviews, importId);
  }

  /**
   * Every vial of the chunk into its donor's review due at `dueAt`, set-based (ReviewScheduler.place does this
   * one donor at a time; a legacy bank has tens of thousands of donors). The vials are new, so no review is
   * left empty. Answers the reviews touched, for the audit entry.
   */
  private async placeInReviews(
    tx: TransactionContext,
    rows: readonly NewVial[],
    dueAt: Date,
  ): Promise<{ id: string; donorId: string; created: boolean }[]> {
    const clinicOf = new Map(rows.map((vial) => [vial.donorId, vial.clinicId]));
    await this.reviews.lockDonorBanks([...clinicOf.keys()], tx.manager);
    const reviews = await this.reviews.upsertPendingMany(
      [...clinicOf].map(([donorId, clinicId]) => ({ donorId, clinicId })),
      dueAt,
      tx.now,
      tx.manager,
    );
    const reviewOf = new Map(reviews.map((review) => [review.donorId, review.id]));
    await this.vials.assignReviews(
      rows.map((vial) => ({
        vialId: vial.id,
        reviewId: reviewOf.get(vial.donorId) as string,
        nextReviewAt: dueAt,
      })),
      tx.now,
      tx.manager,
    );
    for (const review of reviews) {
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
  reviews: readonly { id: string; donorId: string; created: boolean }[],
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
        dueAt: rows[0]?.nextReviewAt,
      })),
    },
    reason: 'imported from a legacy bank record; no banking consent recorded here, so due for review at once',
  });
}
