import { Injectable } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { CellsCryopreserved } from './events/cells-cryopreserved.event';
import { randomUUID } from 'node:crypto';
import { BatchesService, LockedBatch } from '../batches/batches.service';
import { BatchAction } from '../batches/domain/batch-state-machine';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { FieldError, validationFailed } from '../common/validation/validation';
import { DonorsService } from '../donors/donors.service';
import { MaterialsService, UsedLot } from '../materials/materials.service';
import { CryopreservationsRepository } from './cryopreservations.repository';
import { BankingConsentTerms } from './domain/review-schedule';
import { vialLabel } from './domain/vial-label';
import { VialStatus } from './domain/vial-state-machine';
import { CryopreservationResultDto, CryopreserveDto } from './dto/cryopreserve.dto';
import { vialSummary, VialSummaryDto } from './dto/vial-view.dto';
import { ReviewScheduler } from './review-scheduler.service';
import { Box, RequestedPosition, VialPlacement } from './vial-placement.service';
import { NewVial, VialsRepository } from './vials.repository';
import { ScanVerifier } from '../labels/scan-verifier.service';
/** What the checks of a freezing found: the locked batch, the boxes named, the consent in force, cells asked for. */
interface CheckedFreezing {
  batch: LockedBatch;
  boxes: Map<string, Box>;
  consent: BankingConsentTerms;
  totalCells: number;
}

/** The freezing being written: its id, when, and when its vials' storage review falls due. */
interface Freezing {
  cryopreservationId: string;
  frozenAt: Date;
  dueAt: Date;
}

/**
 * Cryopreservation: surplus cells of a batch frozen into vials in tank positions (docs/domain.md, rules 1, 2, 6, 9, 13).
 * All or nothing: one transaction stores every vial or none.
 */
@Injectable()
export class CryopreservationService {
  constructor(
    private readonly transactions: Transactions,
    private readonly batches: BatchesService,
    private readonly donors: DonorsService,
    private readonly materials: MaterialsService,
    private readonly placement: VialPlacement,
    private readonly scheduler: ReviewScheduler,
    private readonly vials: VialsRepository,
    private readonly cryopreservations: CryopreservationsRepository,
    private readonly events: EventBus,
    private readonly scans: ScanVerifier,
  ) {}

  /**
   * Checks, in order: two vials of the request in one position (400); batch 404, batch state 409
   * (CULTURE_COMPLETE or RELEASED); frozenAt before the final harvest (400); positions outside their box (400); boxes (404); positions taken
   * (409 POSITION_OCCUPIED); banking consent (422 CONSENT_MISSING); tank and biohazard class
   * (422 STORAGE_UNSUITABLE); viable cells left (422 INSUFFICIENT_CELLS); material lots (404, 422 LOT_EXPIRED);
   * each tube's scan (422 IDENTITY_MISMATCH, SCAN_REQUIRED). The controller's description lists the same order.
   */
  async cryopreserve(
    user: AuthUser,
    batchId: string,
    dto: CryopreserveDto,
  ): Promise<CryopreservationResultDto> {
    const frozenAt = parseZonedTimestamp(dto.frozenAt) as Date;
    const requested: RequestedPosition[] = dto.vials.map((vial, i) => ({
      boxId: vial.boxId,
      row: vial.row,
      col: vial.col,
      field: `vials.${i}`,
    }));
    const twice = positionsNamedTwice(requested);
    if (twice.length > 0) throw validationFailed(twice);
    return this.scans.recordingMismatch(user, () => this.freeze(user, batchId, dto, frozenAt, requested));
  }

  private async freeze(
    user: AuthUser,
    batchId: string,
    dto: CryopreserveDto,
    frozenAt: Date,
    requested: RequestedPosition[],
  ): Promise<CryopreservationResultDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const checked = await this.checkFreezing(tx, user, batchId, dto, frozenAt, requested);
      const cryopreservationId = randomUUID();
      // The lots are checked (404, 422 LOT_EXPIRED) as their use is written: the last of the checks.
      const materialLots = await this.materials.recordUsage(tx, {
        lotIds: dto.materialLotIds ?? [],
        batchId,
        eventType: 'CRYOPRESERVATION',
        eventId: cryopreservationId,
        usedAt: frozenAt,
      });
      await this.scheduler.lockDonor(tx, checked.batch.donorId);
      const dueAt = this.scheduler.dueAt(frozenAt, checked.consent, tx.now);
      const vials = await this.storeVials(tx, user, checked, { cryopreservationId, frozenAt, dueAt }, dto);
      const reviewOf = await this.scheduler.place(
        tx,
        { id: checked.batch.donorId, clinicId: checked.batch.clinicId },
        vials.map((vial) => ({
          vial: {
            id: vial.id,
            label: vial.label,
            status: VialStatus.STORED,
            reviewId: null,
            nextReviewAt: null,
          },
          dueAt,
        })),
        { reason: `cryopreservation of batch ${checked.batch.din}`, recordInHistory: false },
      );
      const frozen = vials.map((vial) =>
        vialSummary({ ...vial, status: VialStatus.STORED, boxId: vial.box.id, nextReviewAt: dueAt }),
      );
      this.auditFreezing(tx, checked, { cryopreservationId, frozenAt, dueAt }, dto, {
        materialLots,
        vials,
        frozen,
        reviewOf,
      });
      await this.events.publish(
        tx,
        new CellsCryopreserved(batchId, cryopreservationId, frozenAt, dto.equipmentIds ?? []),
      );
      tx.emit({
        type: DomainEvent.VIALS_FROZEN,
        subjectType: 'batch',
        subjectId: batchId,
        payload: {
          cryopreservationId,
          donorId: checked.batch.donorId,
          vialIds: vials.map((vial) => vial.id),
        },
      });
      return { cryopreservationId, batchId, cellsDrawn: checked.totalCells, vials: frozen };
    });
  }

  /**
   * The checks before anything is written, in the order of the docstring of `cryopreserve` (the batch locked
   * first, so two freezings of one batch queue): what they return is what the writes need.
   */
  private async checkFreezing(
    tx: TransactionContext,
    user: AuthUser,
    batchId: string,
    dto: CryopreserveDto,
    frozenAt: Date,
    requested: RequestedPosition[],
  ): Promise<CheckedFreezing> {
    const batch = await this.batches.lockForAction(tx, user, batchId, BatchAction.CRYOPRESERVE);
    const harvestedAt = await this.batches.finalHarvestAt(tx, batchId);
    if (harvestedAt !== null && frozenAt.getTime() < harvestedAt.getTime()) {
      throw validationFailed([
        { field: 'frozenAt', errors: ['frozenAt must not be before the final harvest'] },
      ]);
    }
    const boxes = await this.placement.boxesFor(requested, tx.manager);
    await this.placement.assertFree(requested, tx.manager);
    // FOR SHARE on the donor: a consent being withdrawn right now either comes first (and this is refused)
    // or waits for these vials, then makes them due at once.
    const consent = await this.donors.requireBankingConsent(tx, batch.donorId, frozenAt);
    this.placement.assertSuitable(boxes.values(), batch.biohazard);
    const totalCells = dto.vials.reduce((sum, vial) => sum + vial.cells, 0);
    const remaining = (batch.viableCellsYielded ?? 0) - batch.cellsDrawn;
    if (totalCells > remaining) {
      throw new DomainError(
        ErrorCode.INSUFFICIENT_CELLS,
        `Only ${remaining} viable cells are left in this batch`,
        {
          requested: totalCells,
          remaining,
        },
      );
    }
    return { batch, boxes, consent, totalCells };
  }

  /** The cryopreservation, the cells it draws, and its vials with their FROZEN history, each tube scanned first. */
  private async storeVials(
    tx: TransactionContext,
    user: AuthUser,
    { batch, boxes, totalCells }: CheckedFreezing,
    { cryopreservationId, frozenAt, dueAt }: Freezing,
    dto: CryopreserveDto,
  ): Promise<NewVial[]> {
    await this.cryopreservations.insert(
      {
        id: cryopreservationId,
        batchId: batch.id,
        frozenAt,
        medium: dto.medium,
        dmsoPct: dto.dmsoPct ?? null,
        vialCount: dto.vials.length,
        totalCells,
        recordedBy: user.id,
        recordedAt: tx.now,
      },
      tx.manager,
    );
    await this.batches.drawCells(tx, batch.id, totalCells);
    const firstOrdinal = await this.vials.nextOrdinal(batch.id, tx.manager);
    const vials: NewVial[] = dto.vials.map((vial, i) => ({
      id: randomUUID(),
      label: vialLabel(batch.din, firstOrdinal + i),
      batchId: batch.id,
      ordinal: firstOrdinal + i,
      donorId: batch.donorId,
      clinicId: batch.clinicId,
      cryopreservationId,
      cells: vial.cells,
      box: boxes.get(vial.boxId) as Box,
      row: vial.row,
      col: vial.col,
      frozenAt,
      nextReviewAt: dueAt,
      createdBy: user.id,
      createdAt: tx.now,
    }));
    await this.checkTubeScans(tx, user, { id: batch.id, din: batch.din }, vials, dto);
    await this.vials.insertMany(vials, tx.manager);
    await this.vials.insertEvents(
      vials.map((vial) => ({
        vialId: vial.id,
        event: 'FROZEN' as const,
        at: frozenAt,
        recordedAt: tx.now,
        actorId: user.id,
        actorRole: user.role,
        fromStatus: null,
        toStatus: VialStatus.STORED,
        from: null,
        to: { boxId: vial.box.id, row: vial.row, col: vial.col },
        reason: null,
        details: { cryopreservationId, cells: vial.cells, nextReviewAt: dueAt },
      })),
      tx.manager,
    );
    return vials;
  }

  /** One entry for the batch (cells drawn, every vial with its box path) and one for each vial. */
  private auditFreezing(
    tx: TransactionContext,
    { batch, boxes, totalCells }: CheckedFreezing,
    { cryopreservationId, frozenAt, dueAt }: Freezing,
    dto: CryopreserveDto,
    stored: {
      materialLots: UsedLot[];
      vials: NewVial[];
      frozen: VialSummaryDto[];
      reviewOf: Map<string, string>;
    },
  ): void {
    tx.audit({
      action: 'batch.cryopreserved',
      entityType: 'batch',
      entityId: batch.id,
      before: { cellsDrawn: batch.cellsDrawn },
      after: {
        cryopreservationId,
        frozenAt,
        medium: dto.medium,
        dmsoPct: dto.dmsoPct ?? null,
        materialLots: stored.materialLots,
        cellsDrawn: batch.cellsDrawn + totalCells,
        vials: stored.frozen.map((vial) => ({ ...vial, boxPath: boxes.get(vial.boxId as string)?.path })),
      },
    });
    for (const vial of stored.vials) {
      tx.audit({
        action: 'vial.frozen',
        entityType: 'vial',
        entityId: vial.id,
        before: null,
        after: {
          label: vial.label,
          batchId: batch.id,
          status: VialStatus.STORED,
          cells: vial.cells,
          position: { boxId: vial.box.id, row: vial.row, col: vial.col },
          frozenAt,
          nextReviewAt: dueAt,
          reviewId: stored.reviewOf.get(vial.id),
        },
      });
    }
  }

  /**
   * Each tube is scanned before it goes in (docs/labels.md): the batch's label or DIN, or the label text the
   * vial will carry. A failed check is recorded against the batch, since the vial is not stored.
   */
  private async checkTubeScans(
    tx: TransactionContext,
    user: AuthUser,
    batch: { id: string; din: string },
    vials: readonly NewVial[],
    dto: CryopreserveDto,
  ): Promise<void> {
    const batchItem = { subjectType: 'BATCH' as const, subjectId: batch.id, itemLabel: batch.din };
    for (const [i, vial] of vials.entries()) {
      const subject = { subjectType: 'VIAL' as const, subjectId: vial.id, itemLabel: vial.label };
      await this.scans.checkHandOff(tx, user, {
        handOff: 'CRYOPRESERVE',
        subject,
        accepted: [subject, batchItem],
        failureSubject: batchItem,
        scan: dto.vials[i].scan,
      });
    }
  }
}

/** Two vials of one request in one position: the request contradicts itself (400, naming both entries). */
function positionsNamedTwice(positions: readonly RequestedPosition[]): FieldError[] {
  const first = new Map<string, string>();
  const problems: FieldError[] = [];
  for (const p of positions) {
    const key = `${p.boxId}/${p.row}/${p.col}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, p.field);
    else problems.push({ field: p.field, errors: [`${p.field} names the same position as ${earlier}`] });
  }
  return problems;
}
