import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SignatureService } from '../auth/signature.service';
import { HoldSource, VialHolds } from '../bank/vial-holds.service';
import { VialPresence } from '../bank/vial-presence.service';
import { VialsService } from '../bank/vials.service';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/domain-error';
import { DomainEvent } from '../common/events/domain-events';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { ExcursionChange } from './domain/excursion-runs';
import { assertDisposable, ExcursionOutcome, ExcursionStatus } from './domain/excursion-status';
import { TemperatureLimits } from './domain/temperature-limits';
import {
  DisposeExcursionDto,
  dispositionView,
  excursionSummary,
  ExcursionSummaryDto,
  ExcursionViewDto,
  ListExcursionsQuery,
} from './dto/excursion.dto';
import { ExcursionEntity } from './excursion.entity';
import { ExcursionsRepository } from './excursions.repository';
import { MonitoredUnit, UnitConditionsService } from './unit-conditions.service';

/**
 * Moves recorded this long before the previous look are looked at again: a move whose transaction began before
 * that look but committed after it carries an earlier recording time than the look, and must not be missed.
 * Holds are one per vial and source, so seeing a move twice changes nothing.
 */
const VIAL_LOOK_OVERLAP_MS = 10 * 60_000;

const sourceOf = (excursionId: string): HoldSource => ({ type: 'excursion', id: excursionId });

/**
 * Excursions (docs/environment.md, "Excursions" and "Vials on hold"): recorded as the readings find them, the
 * vials they affect held in the bank, and QA's signed disposition, which releases or discards those vials.
 */
@Injectable()
export class ExcursionsService {
  constructor(
    private readonly excursions: ExcursionsRepository,
    private readonly units: UnitConditionsService,
    private readonly holds: VialHolds,
    private readonly presence: VialPresence,
    private readonly vials: VialsService,
    private readonly signatures: SignatureService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Records what a batch of readings did to an excursion, inside the batch's transaction: a new one is stored
   * and holds every vial that stood in the unit since it started; an existing one is extended or ended, and
   * holds the vials moved in since the last look.
   */
  async apply(
    tx: TransactionContext,
    unit: MonitoredUnit,
    limits: TemperatureLimits,
    change: ExcursionChange,
  ): Promise<void> {
    const status = change.endedAt ? ExcursionStatus.ENDED : ExcursionStatus.OPEN;
    const extent = {
      startedAt: change.startedAt,
      lastOutAt: change.lastOutAt,
      endedAt: change.endedAt,
      minC: change.minC,
      maxC: change.maxC,
      readings: change.readings,
    };
    if (change.created) {
      const excursion: ExcursionEntity = {
        id: change.excursionId,
        unitId: unit.id,
        status,
        ...extent,
        limitMinC: limits.minC,
        limitMaxC: limits.maxC,
        excursionMinutes: limits.excursionMinutes,
        detectedAt: tx.now,
        vialsCheckedAt: tx.now,
        outcome: null,
        comment: null,
        disposedBy: null,
        disposedAt: null,
        signature: null,
      };
      await this.excursions.insert(excursion, tx.manager);
      const vialIds = await this.presence.presentDuring(
        unit.id,
        change.startedAt,
        change.endedAt,
        tx.manager,
      );
      await this.hold(tx, excursion, unit, vialIds);
      tx.audit({
        action: 'excursion.detected',
        entityType: 'excursion',
        entityId: excursion.id,
        before: null,
        after: { unitId: unit.id, unitName: unit.name, status, ...extent, limits, vialIds },
      });
      this.emitChanged(tx, excursion.id, unit.id);
      return;
    }
    const before = await this.excursions.lockById(change.excursionId, tx.manager);
    if (!before) throw new Error(`excursion ${change.excursionId} of the run state is missing`);
    await this.excursions.update(before.id, { status, ...extent }, tx.manager);
    await this.catchUpVials(tx, { ...before, ...extent, status }, unit);
    if (status === ExcursionStatus.ENDED && before.status === ExcursionStatus.OPEN) {
      tx.audit({
        action: 'excursion.ended',
        entityType: 'excursion',
        entityId: before.id,
        before: { status: before.status, endedAt: null },
        after: { status, ...extent },
      });
      this.emitChanged(tx, before.id, unit.id);
    }
  }

  /** An excursion found among late readings widens the one on record it overlaps; answers false if none. */
  async widenOverlapping(
    tx: TransactionContext,
    unit: MonitoredUnit,
    run: { startedAt: Date; endedAt: Date; minC: number; maxC: number; readings: number },
  ): Promise<boolean> {
    const overlapping = await this.excursions.overlapping(unit.id, run.startedAt, run.endedAt, tx.manager);
    if (overlapping.length === 0) return false;
    const [first] = overlapping;
    const widened = {
      startedAt: first.startedAt < run.startedAt ? first.startedAt : run.startedAt,
      endedAt: first.endedAt && first.endedAt > run.endedAt ? first.endedAt : run.endedAt,
    };
    // Two excursions on record that one late run would join stay as they are: QA sees both, with the readings.
    if (overlapping.length > 1 || first.status === ExcursionStatus.OPEN) return true;
    if (
      widened.startedAt.getTime() !== first.startedAt.getTime() ||
      widened.endedAt?.getTime() !== first.endedAt?.getTime()
    ) {
      const after = {
        startedAt: widened.startedAt,
        endedAt: widened.endedAt,
        minC: Math.min(first.minC, run.minC),
        maxC: Math.max(first.maxC, run.maxC),
        readings: Math.max(first.readings, run.readings),
      };
      await this.excursions.update(first.id, after, tx.manager);
      const vialIds = await this.presence.presentDuring(unit.id, after.startedAt, after.endedAt, tx.manager);
      if (first.status !== ExcursionStatus.DISPOSED) await this.hold(tx, first, unit, vialIds);
      tx.audit({
        action: 'excursion.widened',
        entityType: 'excursion',
        entityId: first.id,
        before: { startedAt: first.startedAt, endedAt: first.endedAt },
        after,
        reason: 'Readings that arrived late extend it',
      });
    }
    return true;
  }

  async list(query: ListExcursionsQuery): Promise<Page<ExcursionSummaryDto>> {
    const rows = await this.excursions.list(
      query.status ?? null,
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], excursionSummary);
  }

  async get(excursionId: string, manager?: EntityManager): Promise<ExcursionViewDto> {
    const excursion = await this.excursions.findById(excursionId, manager);
    if (!excursion) throw notFound('Excursion', excursionId);
    return this.view(excursion, manager);
  }

  /** The excursion's view, or null when there is none (for the flag jobs). */
  async find(excursionId: string, manager?: EntityManager): Promise<ExcursionViewDto | null> {
    const excursion = await this.excursions.findById(excursionId, manager);
    return excursion ? this.view(excursion, manager) : null;
  }

  /** The excursions of a unit that overlap [from, to], for its chart. */
  async ofUnitDuring(unitId: string, from: Date, to: Date): Promise<ExcursionSummaryDto[]> {
    return (await this.excursions.overlapping(unitId, from, to)).map(excursionSummary);
  }

  /**
   * QA's signed disposition. Checks, in order: the excursion (404); its state (409 INVALID_TRANSITION while
   * OPEN, ALREADY_DECIDED once disposed); the signature (422 SIGNATURE_INVALID, counted toward the lock-out).
   * Under the excursion's row lock, the last moves are looked at, then NO_IMPACT releases the holds and
   * VIALS_COMPROMISED discards the vials still banked (and releases the holds too). A second disposition
   * racing the first waits on the lock and finds it decided (409).
   */
  async dispose(user: AuthUser, excursionId: string, dto: DisposeExcursionDto): Promise<ExcursionViewDto> {
    const peek = await this.excursions.findById(excursionId);
    if (!peek) throw notFound('Excursion', excursionId);
    assertDisposable(peek.status);
    const comment = dto.comment.trim();
    const signature = await this.signatures.sign(
      user,
      {
        password: dto.password,
        meaning: `Disposition of temperature excursion: ${dto.outcome}`,
        record: {
          excursionId,
          unitId: peek.unitId,
          startedAt: peek.startedAt,
          endedAt: peek.endedAt,
          outcome: dto.outcome,
          comment,
        },
      },
      this.clock.now(),
    );
    await this.transactions.run(actorOf(user), async (tx) => {
      const excursion = await this.excursions.lockById(excursionId, tx.manager);
      if (!excursion) throw notFound('Excursion', excursionId);
      assertDisposable(excursion.status);
      const unit = await this.units.monitoredUnit(excursion.unitId, tx.manager);
      await this.catchUpVials(tx, excursion, unit);
      const held = (await this.holds.ofSource(sourceOf(excursion.id), tx.manager)).map((hold) => hold.vialId);
      const reason = `Excursion ${excursion.id} disposed ${dto.outcome}: ${comment}`;
      const discarded =
        dto.outcome === ExcursionOutcome.VIALS_COMPROMISED
          ? await this.vials.discardStillBanked(tx, held, reason, { excursionId: excursion.id })
          : { discarded: [], notBanked: [] };
      await this.holds.release(tx, sourceOf(excursion.id), reason);
      const signedAt = tx.now;
      await this.excursions.update(
        excursion.id,
        {
          status: ExcursionStatus.DISPOSED,
          outcome: dto.outcome,
          comment,
          disposedBy: user.id,
          disposedAt: signedAt,
          signature: { ...signature, signedAt: signedAt.toISOString() },
        },
        tx.manager,
      );
      tx.audit({
        action: 'excursion.disposed',
        entityType: 'excursion',
        entityId: excursion.id,
        before: { status: excursion.status },
        after: {
          status: ExcursionStatus.DISPOSED,
          outcome: dto.outcome,
          signerName: signature.signerName,
          meaning: signature.meaning,
          recordHash: signature.recordHash,
          vialIds: held,
          discarded: discarded.discarded,
          notBanked: discarded.notBanked,
        },
        reason: comment,
      });
      this.emitChanged(tx, excursion.id, excursion.unitId);
    });
    return this.get(excursionId);
  }

  /** Holds the vials put into the unit since the last look (moves recorded since, less an overlap). */
  private async catchUpVials(
    tx: TransactionContext,
    excursion: ExcursionEntity,
    unit: MonitoredUnit,
  ): Promise<void> {
    const since = new Date(excursion.vialsCheckedAt.getTime() - VIAL_LOOK_OVERLAP_MS);
    const vialIds = await this.presence.presentDuringRecordedAfter(
      unit.id,
      excursion.startedAt,
      excursion.endedAt,
      since,
      tx.manager,
    );
    await this.hold(tx, excursion, unit, vialIds);
    await this.excursions.update(excursion.id, { vialsCheckedAt: tx.now }, tx.manager);
  }

  private async hold(
    tx: TransactionContext,
    excursion: ExcursionEntity,
    unit: MonitoredUnit,
    vialIds: readonly string[],
  ): Promise<void> {
    await this.holds.place(tx, {
      source: sourceOf(excursion.id),
      vialIds,
      reason: `In ${unit.path} during temperature excursion ${excursion.id} (from ${excursion.startedAt.toISOString()})`,
    });
  }

  private async view(excursion: ExcursionEntity, manager?: EntityManager): Promise<ExcursionViewDto> {
    const [unit, holds] = await Promise.all([
      this.units.monitoredUnit(excursion.unitId, manager),
      this.holds.ofSource(sourceOf(excursion.id), manager),
    ]);
    return {
      ...excursionSummary(excursion),
      unitName: unit.name,
      vials: holds.map((hold) => ({
        id: hold.vialId,
        label: hold.vialLabel,
        status: hold.vialStatus,
        held: hold.releasedAt === null,
      })),
      disposition: dispositionView(excursion),
    };
  }

  private emitChanged(tx: TransactionContext, excursionId: string, unitId: string): void {
    tx.emit({
      type: DomainEvent.EXCURSION_CHANGED,
      subjectType: 'excursion',
      subjectId: excursionId,
      payload: { unitId },
    });
  }
}
