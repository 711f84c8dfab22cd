import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { assertCorrectable } from '../common/corrections/correction';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { EventBus } from '../common/events/event-bus';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { MaterialsService, UsedLot } from '../materials/materials.service';
import { BatchStepsRepository, FinalHarvestRow, IntervalBounds, PassageRow } from './batch-steps.repository';
import { BatchesRepository, BatchRow } from './batches.repository';
import { BatchesService } from './batches.service';
import { BatchAction, transition } from './domain/batch-state-machine';
import { growthOf, timelineOf } from './domain/culture-record';
import { chronologyViolation, describeEntry, TimelineEntry } from './domain/step-chronology';
import { RecordCellCountDto } from './dto/record-cell-count.dto';
import { RecordFinalHarvestDto } from './dto/record-final-harvest.dto';
import { RecordIsolationDto } from './dto/record-isolation.dto';
import { RecordPassageDto } from './dto/record-passage.dto';
import { CultureStep, CultureStepRecorded } from './events/culture-step-recorded.event';
import {
  CellCountResultDto,
  FinalHarvestResultDto,
  IsolationResultDto,
  PassageResultDto,
} from './dto/step-results.dto';

/**
 * The culture steps a technician records on a batch: isolation, passages, in-passage counts, final harvest
 * (docs/domain.md, rules 3, 4, 9, 10). Each is one transaction that locks the batch row, asks the state machine,
 * writes the entry and its audit entry on the batch.
 *
 * Checks run in the contract's order: the batch and any entry a correction names (404), the state (409), the
 * passage rules (422). A step's time must fit between the batch's neighbouring steps (a passage not before
 * the seeding it ends, a count inside its passage, a correction not after the step that follows it): a
 * timestamp that contradicts the batch's own record is `400 VALIDATION_FAILED` naming the field, because the
 * input is wrong, not the batch's state, and no 422 code of the contract describes it.
 */
@Injectable()
export class BatchStepsService {
  constructor(
    private readonly lifecycle: BatchesService,
    private readonly batches: BatchesRepository,
    private readonly steps: BatchStepsRepository,
    private readonly materials: MaterialsService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  async isolate(user: AuthUser, batchId: string, dto: RecordIsolationDto): Promise<IsolationResultDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lifecycle.lockVisible(tx, user, batchId);
      const next = transition(batch.status, BatchAction.ISOLATE);
      const performedAt = new Date(dto.performedAt);
      assertInOrder(
        timelineOf(await this.steps.findSteps(batchId, tx.manager)),
        { kind: 'ISOLATION', at: performedAt },
        'performedAt',
      );
      const isolation = await this.steps.insertIsolation(
        {
          batchId,
          performedAt,
          tissueWeightG: dto.tissueWeightG ?? null,
          cellCount: dto.cellCount,
          viabilityPct: dto.viabilityPct,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      await this.batches.update(batchId, { status: next, currentPassage: 0 }, tx.now, tx.manager);
      const materialLots = await this.recordMaterials(
        tx,
        dto.materialLotIds,
        batchId,
        'ISOLATION',
        isolation.id,
        performedAt,
      );
      await this.announce(tx, batchId, 'ISOLATION', isolation.id, performedAt, dto.equipmentIds);
      tx.audit({
        action: 'batch.isolation_recorded',
        entityType: 'batch',
        entityId: batchId,
        before: { status: batch.status, currentPassage: batch.currentPassage },
        after: { status: next, currentPassage: 0, isolation, materialLots },
      });
      return {
        ...isolation,
        batchId,
        batchStatus: next,
        currentPassage: 0,
        materialLotIds: materialLots.map((lot) => lot.id),
      };
    });
  }

  async recordPassage(user: AuthUser, batchId: string, dto: RecordPassageDto): Promise<PassageResultDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lifecycle.lockVisible(tx, user, batchId);
      const corrected = dto.correctsId
        ? await this.steps.findPassage(batchId, dto.correctsId, tx.manager)
        : null;
      if (dto.correctsId && !corrected) throw notFound('Passage', dto.correctsId);
      transition(batch.status, corrected ? BatchAction.CORRECT_ENTRY : BatchAction.RECORD_PASSAGE);
      if (corrected) assertCorrectable(corrected.id, corrected, 'passage');
      assertPassageNumber(batch, dto.passageNumber, corrected);

      const id = randomUUID();
      const performedAt = new Date(dto.performedAt);
      const before = await this.steps.findSteps(batchId, tx.manager);
      assertInOrder(
        timelineOf(before),
        { kind: 'PASSAGE', passageNumber: dto.passageNumber, at: performedAt, id },
        'performedAt',
        corrected?.id,
      );
      if (corrected) await this.steps.markPassageSuperseded(corrected.id, id, tx.manager);
      const passage = await this.steps.insertPassage(
        {
          id,
          batchId,
          passageNumber: dto.passageNumber,
          performedAt,
          cellsHarvested: dto.cellsHarvested,
          viabilityPct: dto.viabilityPct,
          cellsSeeded: dto.cellsSeeded,
          vesselCount: dto.vesselCount ?? null,
          confluencePct: dto.confluencePct ?? null,
          correctsId: corrected?.id ?? null,
          reason: dto.reason ?? null,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      // A correction repeats its number: the culture does not advance.
      if (!corrected)
        await this.batches.update(batchId, { currentPassage: dto.passageNumber }, tx.now, tx.manager);
      const materialLots = await this.recordMaterials(
        tx,
        dto.materialLotIds,
        batchId,
        'PASSAGE',
        id,
        performedAt,
      );
      await this.announce(tx, batchId, 'PASSAGE', id, performedAt, dto.equipmentIds);

      const growth = growthOf(await this.steps.findSteps(batchId, tx.manager), batch.targetCellCount);
      const doublings = growth.passages.find((p) => p.passageNumber === dto.passageNumber);
      const result: PassageResultDto = {
        ...passage,
        batchId,
        batchStatus: batch.status,
        populationDoublings: doublings?.populationDoublings ?? 0,
        cumulativePopulationDoublings:
          doublings?.cumulativePopulationDoublings ?? growth.cumulativePopulationDoublings,
        doublingTimeHours: doublings?.doublingTimeHours ?? null,
      };
      tx.audit({
        action: corrected ? 'batch.passage_corrected' : 'batch.passage_recorded',
        entityType: 'batch',
        entityId: batchId,
        before: corrected ? { passage: corrected } : { currentPassage: batch.currentPassage },
        after: {
          passage: passage,
          materialLots,
          currentPassage: corrected ? batch.currentPassage : dto.passageNumber,
        },
        reason: dto.reason ?? null,
      });
      return result;
    });
  }

  async recordCellCount(
    user: AuthUser,
    batchId: string,
    dto: RecordCellCountDto,
  ): Promise<CellCountResultDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lifecycle.lockVisible(tx, user, batchId);
      const corrected = dto.correctsId
        ? await this.steps.findCellCount(batchId, dto.correctsId, tx.manager)
        : null;
      if (dto.correctsId && !corrected) throw notFound('Cell count', dto.correctsId);
      transition(batch.status, corrected ? BatchAction.CORRECT_ENTRY : BatchAction.RECORD_COUNT);
      if (corrected) assertCorrectable(corrected.id, corrected, 'cell count');

      // An in-passage count belongs to the passage running when it is recorded; a correction keeps its passage.
      const passageNumber = corrected ? corrected.passageNumber : (batch.currentPassage ?? 0);
      const countedAt = new Date(dto.countedAt);
      const bounds = await this.steps.findIntervalBounds(batchId, passageNumber, tx.manager);
      assertInOrder(
        intervalNeighbours(passageNumber, bounds),
        { kind: 'COUNT', passageNumber, at: countedAt },
        'countedAt',
      );

      const id = randomUUID();
      if (corrected) await this.steps.markCellCountSuperseded(corrected.id, id, tx.manager);
      const count = await this.steps.insertCellCount(
        {
          id,
          batchId,
          passageNumber,
          countedAt,
          totalCells: dto.totalCells,
          viabilityPct: dto.viabilityPct,
          method: dto.method ?? null,
          correctsId: corrected?.id ?? null,
          reason: dto.reason ?? null,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      await this.announce(tx, batchId, 'CELL_COUNT', id, countedAt, dto.equipmentIds);
      tx.audit({
        action: corrected ? 'batch.cell_count_corrected' : 'batch.cell_count_recorded',
        entityType: 'batch',
        entityId: batchId,
        before: corrected ? { count: corrected } : null,
        after: { count: count },
        reason: dto.reason ?? null,
      });
      return { ...count, batchId, batchStatus: batch.status };
    });
  }

  async recordFinalHarvest(
    user: AuthUser,
    batchId: string,
    dto: RecordFinalHarvestDto,
  ): Promise<FinalHarvestResultDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lifecycle.lockVisible(tx, user, batchId);
      const corrected = dto.correctsId
        ? await this.steps.findFinalHarvest(batchId, dto.correctsId, tx.manager)
        : null;
      if (dto.correctsId && !corrected) throw notFound('Final harvest', dto.correctsId);
      const next = transition(
        batch.status,
        corrected ? BatchAction.CORRECT_ENTRY : BatchAction.FINAL_HARVEST,
      );
      if (corrected) assertCorrectable(corrected.id, corrected, 'final harvest');

      const id = randomUUID();
      const performedAt = new Date(dto.performedAt);
      assertInOrder(
        timelineOf(await this.steps.findSteps(batchId, tx.manager)),
        { kind: 'FINAL_HARVEST', at: performedAt, id },
        'performedAt',
        corrected?.id,
      );
      if (corrected) await this.steps.markFinalHarvestSuperseded(corrected.id, id, tx.manager);
      const harvest = await this.steps.insertFinalHarvest(
        {
          id,
          batchId,
          performedAt,
          totalCells: dto.totalCells,
          viabilityPct: dto.viabilityPct,
          correctsId: corrected?.id ?? null,
          reason: dto.reason ?? null,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      assertCellsConserved(batch, harvest);
      await this.announce(tx, batchId, 'FINAL_HARVEST', id, performedAt, dto.equipmentIds);
      // batches_cells_conserved stays the last word should a draw slip in between (it cannot: we hold the lock).
      await this.batches.update(
        batchId,
        { status: next, viableCellsYielded: harvest.viableCells },
        tx.now,
        tx.manager,
      );
      if (!corrected) {
        tx.emit({
          type: DomainEvent.BATCH_CULTURE_COMPLETE,
          subjectType: 'batch',
          subjectId: batchId,
          payload: { din: batch.din },
        });
      }

      const growth = growthOf(await this.steps.findSteps(batchId, tx.manager), batch.targetCellCount);
      tx.audit({
        action: corrected ? 'batch.final_harvest_corrected' : 'batch.final_harvest_recorded',
        entityType: 'batch',
        entityId: batchId,
        before: corrected
          ? { finalHarvest: corrected, viableCellsYielded: batch.viableCellsYielded }
          : { status: batch.status, viableCellsYielded: batch.viableCellsYielded },
        after: { status: next, finalHarvest: harvest, viableCellsYielded: harvest.viableCells },
        reason: dto.reason ?? null,
      });
      return {
        ...harvest,
        batchId,
        batchStatus: next,
        populationDoublings: growth.finalHarvest?.populationDoublings ?? 0,
        cumulativePopulationDoublings: growth.cumulativePopulationDoublings,
        doublingTimeHours: growth.finalHarvest?.doublingTimeHours ?? null,
      };
    });
  }

  /** Tells who listens (the equipment's qualification) that a step was written; they may refuse it. */
  private async announce(
    tx: TransactionContext,
    batchId: string,
    step: CultureStep,
    stepId: string,
    at: Date,
    equipmentIds: string[] | undefined,
  ): Promise<void> {
    await this.events.publish(tx, new CultureStepRecorded(batchId, step, stepId, at, equipmentIds ?? []));
  }

  private async recordMaterials(
    tx: TransactionContext,
    lotIds: string[] | undefined,
    batchId: string,
    eventType: 'ISOLATION' | 'PASSAGE',
    eventId: string,
    usedAt: Date,
  ): Promise<UsedLot[]> {
    if (!lotIds || lotIds.length === 0) return [];
    return this.materials.recordUsage(tx, { lotIds, batchId, eventType, eventId, usedAt });
  }
}

function assertPassageNumber(batch: BatchRow, passageNumber: number, corrected: PassageRow | null): void {
  if (corrected) {
    if (passageNumber !== corrected.passageNumber) {
      throw new DomainError(
        ErrorCode.PASSAGE_OUT_OF_ORDER,
        `A correction repeats the number of the passage it corrects (P${corrected.passageNumber})`,
        {
          passageNumber,
          expected: corrected.passageNumber,
        },
      );
    }
    return;
  }
  const expected = (batch.currentPassage ?? 0) + 1;
  if (passageNumber !== expected) {
    throw new DomainError(
      ErrorCode.PASSAGE_OUT_OF_ORDER,
      `The next passage of this batch is P${expected}, not P${passageNumber}`,
      {
        passageNumber,
        expected,
        currentPassage: batch.currentPassage,
      },
    );
  }
  if (passageNumber > batch.maxPassage) {
    throw new DomainError(
      ErrorCode.PASSAGE_LIMIT_EXCEEDED,
      `The specification allows passages up to P${batch.maxPassage}; cells aged further are not released`,
      { passageNumber, maxPassage: batch.maxPassage },
    );
  }
}

/** Rule 9: a corrected final harvest may not yield fewer viable cells than doses and vials have drawn. */
function assertCellsConserved(batch: BatchRow, harvest: FinalHarvestRow): void {
  if (harvest.viableCells < batch.cellsDrawn) {
    throw new DomainError(
      ErrorCode.INSUFFICIENT_CELLS,
      'Doses and vials have drawn more viable cells than this final harvest yields',
      {
        viableCells: harvest.viableCells,
        cellsDrawn: batch.cellsDrawn,
      },
    );
  }
}

function assertInOrder(
  entries: TimelineEntry[],
  candidate: TimelineEntry,
  field: string,
  replacing?: string,
): void {
  const violation = chronologyViolation(entries, candidate, replacing);
  if (!violation) return;
  const { neighbour, mustNotBe } = violation;
  throw validationFailed([
    {
      field,
      errors: [
        `${field} must not be ${mustNotBe} ${describeEntry(neighbour)} (${neighbour.at.toISOString()})`,
      ],
    },
  ]);
}

function intervalNeighbours(passageNumber: number, bounds: IntervalBounds): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (bounds.seededAt) {
    entries.push(
      passageNumber === 0
        ? { kind: 'ISOLATION', at: bounds.seededAt }
        : { kind: 'PASSAGE', passageNumber, at: bounds.seededAt },
    );
  }
  if (bounds.nextPassageAt)
    entries.push({ kind: 'PASSAGE', passageNumber: passageNumber + 1, at: bounds.nextPassageAt });
  if (bounds.finalHarvestAt) entries.push({ kind: 'FINAL_HARVEST', at: bounds.finalHarvestAt });
  return entries;
}
