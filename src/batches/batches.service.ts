import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { canSeeClinic } from '../auth/clinic-scope';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { ScreeningStatus } from '../donors/domain/screening-status';
import { DonorsService } from '../donors/donors.service';
import { HarvestsService } from '../harvests/harvests.service';
import { BatchSteps, BatchStepsRepository } from './batch-steps.repository';
import { BatchViewsService } from './batch-views.service';
import { BatchIdentity, BatchRow, BatchesRepository, CurrentFinalHarvest } from './batches.repository';
import { assertOriginAllows, BatchAction, BatchStatus, transition } from './domain/batch-state-machine';
import { BatchStatusChanged } from './events/batch-status-changed.event';
import { EventBus } from '../common/events/event-bus';
import { dinCheckCharacter, dinYear, formatDin } from './domain/din';
import { BatchViewDto } from './dto/batch-view.dto';
import { CreateBatchDto } from './dto/create-batch.dto';

export type { BatchIdentity } from './batches.repository';
export type { BatchSteps } from './batch-steps.repository';

/** A batch locked for a command, and the status the command's action leads to (the state machine's answer). */
export interface LockedBatch {
  id: string;
  din: string;
  status: BatchStatus;
  nextStatus: BatchStatus;
  donorId: string;
  clinicId: string;
  harvestId: string;
  productType: string;
  specificationId: string;
  maxPassage: number;
  targetCellCount: number;
  currentPassage: number | null;
  viableCellsYielded: number | null;
  cellsDrawn: number;
  expiresAt: Date | null;
  recalledAt: Date | null;
  biohazard: boolean;
}

/**
 * Batch creation and the batch's lifecycle (docs/domain.md, rules 1, 3, 9 and "Identifiers").
 *
 * For other modules (quality, doses, bank), always inside their own `Transactions.run`:
 * - `lockForAction(tx, user, batchId, action)`: locks the batch row FOR UPDATE; 404 when missing or hidden by
 *   clinic scope, then 409 INVALID_TRANSITION when the state machine does not allow `action` in the batch's
 *   status. Returns the row and `nextStatus`. Every command on a batch queues on this lock.
 * - `setStatus(tx, batchId, status, extra?)`: moves the batch (call `lockForAction` first and pass its
 *   `nextStatus`); `extra.expiresAt` sets the shelf life on release. It writes no audit entry: the caller's
 *   entry (the decision, the discard) says what happened and why.
 * - `recordersOf(tx, batchId)`: every user who received its harvest, created the batch, recorded a step, QC
 *   result or correction on it, or opened a deviation on it (the four-eyes rule's input).
 * - `view(user, batchId)`: the batch view (docs/http-api.md), 404 when hidden by clinic scope.
 * - `identityOf(batchId, manager?)`: id, DIN, clinic and donor, for records of the batch's cells (doses); no
 *   scope check: the caller checks the clinic it answers.
 * - `stepsOf(batchId)`: every step entry of the batch, superseded ones included (for the read model); no
 *   scope check.
 * - `finalHarvestAt(tx, batchId)`, `drawCells(tx, batchId, cells)`, `markRecalled(tx, batchId)`: what the doses
 *   module needs of the batch row, under the lock `lockForAction` took.
 */
@Injectable()
export class BatchesService {
  constructor(
    private readonly batches: BatchesRepository,
    private readonly steps: BatchStepsRepository,
    private readonly views: BatchViewsService,
    private readonly harvests: HarvestsService,
    private readonly donors: DonorsService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  // ---------------------------------------------------------------- for other modules

  async lockForAction(
    tx: TransactionContext,
    user: AuthUser,
    batchId: string,
    action: BatchAction,
  ): Promise<LockedBatch> {
    const batch = await this.lockVisible(tx, user, batchId);
    assertOriginAllows(batch.origin, action);
    return { ...lockedView(batch), nextStatus: transition(batch.status, action) };
  }

  async setStatus(
    tx: TransactionContext,
    batchId: string,
    status: BatchStatus,
    extra: { expiresAt?: Date } = {},
  ): Promise<void> {
    await this.batches.update(batchId, { status, expiresAt: extra.expiresAt }, tx.now, tx.manager);
    await this.events.publish(tx, new BatchStatusChanged(batchId, status));
  }

  async recordersOf(tx: TransactionContext, batchId: string): Promise<Set<string>> {
    const recorders = new Set(await this.batches.findRecorders(batchId, tx.manager));
    // Receiving the harvest is the path's first step at the CPC (a legacy batch has no harvest here).
    const harvestId = (await this.batches.lockById(batchId, tx.manager))?.harvestId;
    const receiver = harvestId ? await this.harvests.receiverOf(harvestId, tx) : null;
    if (receiver) recorders.add(receiver);
    return recorders;
  }

  identityOf(batchId: string, manager?: EntityManager): Promise<BatchIdentity | null> {
    return this.batches.findIdentity(batchId, manager);
  }

  statusesOf(batchIds: readonly string[], manager?: EntityManager): Promise<Map<string, BatchStatus>> {
    return this.batches.findStatuses(batchIds, manager);
  }

  /** A donor's batches, oldest first (the FHIR search of a patient's products). */
  batchIdsOfDonor(donorId: string): Promise<string[]> {
    return this.batches.idsOfDonor(donorId);
  }

  stepsOf(batchId: string): Promise<BatchSteps> {
    return this.steps.findSteps(batchId);
  }

  async finalHarvestAt(tx: TransactionContext, batchId: string): Promise<Date | null> {
    return (await this.batches.currentFinalHarvest(batchId, tx.manager))?.performedAt ?? null;
  }

  /** The current final harvest (for the release decision); read under the caller's lock when given one. */
  currentFinalHarvestOf(batchId: string, manager?: EntityManager): Promise<CurrentFinalHarvest | null> {
    return this.batches.currentFinalHarvest(batchId, manager);
  }

  /** Rule 9 (docs/domain.md): the batches_cells_conserved check refuses over-drawing whatever the race. */
  drawCells(tx: TransactionContext, batchId: string, cells: number): Promise<void> {
    return this.batches.drawCells(batchId, cells, tx.now, tx.manager);
  }

  /** Marks the batch recalled (its first recall time stays); answers the recall time before this one. */
  markRecalled(tx: TransactionContext, batchId: string): Promise<Date | null> {
    return this.batches.markRecalled(batchId, tx.now, tx.manager);
  }

  view(user: AuthUser, batchId: string): Promise<BatchViewDto> {
    return this.views.view(user, batchId);
  }

  /** The batch a DIN (with or without its check character) names; 404 when none, or hidden by clinic scope. */
  viewByDin(user: AuthUser, din: string): Promise<BatchViewDto> {
    return this.views.viewByDin(user, din);
  }

  /** The batch row under lock, 404 when missing or of another clinic (for a doctor); for this module's steps. */
  async lockVisible(tx: TransactionContext, user: AuthUser, batchId: string): Promise<BatchRow> {
    const batch = await this.batches.lockById(batchId, tx.manager);
    if (!batch || !canSeeClinic(user, batch.clinicId)) throw notFound('Batch', batchId);
    return batch;
  }

  // ---------------------------------------------------------------- commands

  /**
   * One harvest is one donation, so one batch and one DIN. The harvest's row is locked first, so two
   * technicians creating a batch from one harvest queue there and the second finds the first's batch; the
   * DIN counter is taken last, to hold its lock (which every creation queues on) as briefly as possible.
   */
  async create(user: AuthUser, dto: CreateBatchDto): Promise<BatchViewDto> {
    const id = await this.transactions.run(actorOf(user), async (tx) => {
      const harvest = await this.harvests.lockReceivedForBatch(tx, dto.harvestId);
      const existing = await this.batches.findIdByHarvest(harvest.id, tx.manager);
      if (existing) {
        throw new DomainError(
          ErrorCode.DUPLICATE,
          'This harvest has a batch already: one harvest, one batch',
          {
            harvestId: harvest.id,
            batchId: existing,
          },
        );
      }
      const screening = await this.donors.screeningStatus(harvest.donorId, tx.manager);
      if (screening === ScreeningStatus.PENDING) {
        throw new DomainError(
          ErrorCode.SCREENING_INCOMPLETE,
          "The donor's infectious screening is incomplete",
          {
            donorId: harvest.donorId,
          },
        );
      }
      const specification = await this.batches.findActiveSpecification(dto.productType, tx.manager);
      if (!specification) {
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          `No specification is in force for ${dto.productType}`,
          {
            productType: dto.productType,
          },
        );
      }
      const year2 = dinYear(tx.now, this.env.facilityTz);
      const din = formatDin(
        this.env.facilityFin,
        year2,
        await this.batches.takeDinSequence(this.env.facilityFin, year2, tx.manager),
      );
      const batch = {
        din,
        dinCheck: dinCheckCharacter(din),
        harvestId: harvest.id,
        donorId: harvest.donorId,
        clinicId: harvest.clinicId,
        productType: dto.productType,
        specificationId: specification.id,
        targetCellCount: dto.targetCellCount,
        // A reactive donor's cells may still treat that donor (autologous), handled and stored as biohazard.
        biohazard: screening === ScreeningStatus.REACTIVE,
        createdBy: user.id,
        createdAt: tx.now,
      };
      const batchId = await this.batches.insert(batch, tx.manager);
      tx.audit({
        action: 'batch.created',
        entityType: 'batch',
        entityId: batchId,
        before: null,
        after: {
          ...batch,
          status: BatchStatus.RECEIVED,
          specificationVersion: specification.version,
          screeningStatus: screening,
        },
      });
      return batchId;
    });
    return this.views.view(user, id);
  }
}

function lockedView(batch: BatchRow): Omit<LockedBatch, 'nextStatus'> {
  return {
    id: batch.id,
    din: batch.din,
    status: batch.status,
    donorId: batch.donorId,
    clinicId: batch.clinicId,
    harvestId: batch.harvestId,
    productType: batch.productType,
    specificationId: batch.specificationId,
    maxPassage: batch.maxPassage,
    targetCellCount: batch.targetCellCount,
    currentPassage: batch.currentPassage,
    viableCellsYielded: batch.viableCellsYielded,
    cellsDrawn: batch.cellsDrawn,
    expiresAt: batch.expiresAt,
    recalledAt: batch.recalledAt,
    biohazard: batch.biohazard,
  };
}
