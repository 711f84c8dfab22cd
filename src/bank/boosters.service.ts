import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { canSeeClinic } from '../auth/clinic-scope';
import { BatchesService } from '../batches/batches.service';
import { BatchAction } from '../batches/domain/batch-state-machine';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { DonorsService } from '../donors/donors.service';
import { DoseViewDto } from '../doses/dto/dose-view.dto';
import { DosesService } from '../doses/doses.service';
import { BatchDrawability, BoostersRepository } from './boosters.repository';
import {
  boosterDoseCells,
  boosterDoseExpiry,
  ThawedVial,
  viabilityLimitOf,
  vialsBelowViabilitySpec,
} from './domain/booster-dose';
import { transitionVial, VialAction, VialStatus } from './domain/vial-state-machine';
import { boosterView, BoosterViewDto, FormulateBoosterDoseDto, RequestBoosterDto } from './dto/booster.dto';
import { VialHolds } from './vial-holds.service';
import { VialRow, VialsRepository } from './vials.repository';

/**
 * Boosters: a doctor reserves a donor's banked vials, technicians thaw them (witnessed, VialsService) and make one
 * booster dose from them, which the doses module then dispatches and administers like any dose (rules 7, 13).
 */
@Injectable()
export class BoostersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly boosters: BoostersRepository,
    private readonly vials: VialsRepository,
    private readonly donors: DonorsService,
    private readonly batches: BatchesService,
    private readonly doses: DosesService,
    private readonly holds: VialHolds,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /**
   * Checks, in order: donor 404 (a doctor's own clinic), vials 404 (unknown or another clinic's), then 422
   * VIAL_NOT_AVAILABLE: a vial of another donor, not STORED, vials of several batches, a batch not RELEASED,
   * recalled, or with a failing QC result after release, or a vial on hold (vial_holds). The vials are locked in id order, so two requests for
   * one vial cannot both reserve it.
   */
  async request(user: AuthUser, dto: RequestBoosterDto): Promise<BoosterViewDto> {
    const id = await this.transactions.run(actorOf(user), async (tx) => {
      const donor = await this.donors.findVisible(user, dto.donorId, tx.manager);
      const seen = (await this.vials.findByIds(dto.vialIds, tx.manager)).filter((vial) =>
        canSeeClinic(user, vial.clinicId),
      );
      const missing = dto.vialIds.filter((vialId) => !seen.some((vial) => vial.id === vialId));
      if (missing.length > 0) {
        throw new DomainError(ErrorCode.NOT_FOUND, `Vial not found: ${missing.join(', ')}`, {
          id: missing[0],
          vialIds: missing,
        });
      }
      const batchIds = [...new Set(seen.map((vial) => vial.batchId))];
      if (batchIds.length > 1)
        throw notAvailable('A booster is made from the vials of one batch', { batchIds });
      // The batch first (FOR SHARE), then the vials: the order of every command that locks both.
      const batch = (await this.boosters.lockBatchDrawability(batchIds[0], tx.manager)) as BatchDrawability;
      const vials = await this.vials.lockByIds(dto.vialIds, tx.manager);
      const foreign = vials.filter((vial) => vial.donorId !== donor.id);
      if (foreign.length > 0) {
        throw notAvailable("A booster is made from the donor's own vials", {
          vials: foreign.map((vial) => vial.label),
        });
      }
      const unavailable = vials.filter((vial) => vial.status !== VialStatus.STORED);
      if (unavailable.length > 0) {
        throw notAvailable('Only STORED vials can be reserved', {
          vials: unavailable.map((vial) => ({ label: vial.label, status: vial.status })),
        });
      }
      assertDrawable(batch);
      await this.assertNotHeld(vials, tx);

      const boosterId = randomUUID();
      await this.boosters.insert(
        {
          id: boosterId,
          donorId: donor.id,
          clinicId: donor.clinicId,
          batchId: batch.id,
          requestedBy: user.id,
          requestedAt: tx.now,
        },
        tx.manager,
      );
      await this.reserve(tx, vials, boosterId);
      tx.audit({
        action: 'booster.requested',
        entityType: 'booster',
        entityId: boosterId,
        before: null,
        after: {
          status: 'REQUESTED',
          donorId: donor.id,
          batchId: batch.id,
          din: batch.din,
          vials: vials.map((vial) => ({ id: vial.id, label: vial.label, cells: vial.cells })),
        },
      });
      return boosterId;
    });
    return this.get(user, id);
  }

  async get(user: AuthUser, boosterId: string): Promise<BoosterViewDto> {
    const booster = await this.boosters.findById(boosterId);
    if (!booster || !canSeeClinic(user, booster.clinicId)) throw notFound('Booster', boosterId);
    const [vials, dose] = await Promise.all([
      this.vials.findOfBooster(boosterId),
      booster.doseId ? this.doses.get(user, booster.doseId) : Promise.resolve(null),
    ]);
    return boosterView(booster, vials, dose);
  }

  /**
   * Checks, in order: booster 404; state 409 (a dose made already; a vial not THAWED); formulatedAt not before the
   * last thaw (400); the batch may still be drawn (422 VIAL_NOT_AVAILABLE: recalled or failed after release since
   * the reservation); post-thaw viability within the batch's specification (422 QC_NOT_PASSED).
   */
  async formulateDose(user: AuthUser, boosterId: string, dto: FormulateBoosterDoseDto): Promise<DoseViewDto> {
    const formulatedAt = parseZonedTimestamp(dto.formulatedAt) as Date;
    return this.transactions.run(actorOf(user), async (tx) => {
      const booster = await this.boosters.lockById(boosterId, tx.manager);
      if (!booster || !canSeeClinic(user, booster.clinicId)) throw notFound('Booster', boosterId);
      if (booster.doseId !== null) {
        throw new DomainError(ErrorCode.INVALID_TRANSITION, 'This booster has its dose already', {
          doseId: booster.doseId,
        });
      }
      // The batch's lock numbers the dose label (<DIN>-Bnn) safely, as for fresh doses.
      const batch = await this.batches.lockForAction(tx, user, booster.batchId, BatchAction.FORMULATE_DOSE);
      const vials = await this.vials.lockOfBooster(boosterId, tx.manager);
      const notThawed = vials.filter((vial) => vial.status !== VialStatus.THAWED);
      if (notThawed.length > 0 || vials.length === 0) {
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          'Every vial of the booster must be THAWED first',
          {
            vials: notThawed.map((vial) => ({ label: vial.label, status: vial.status })),
          },
        );
      }
      const lastThaw = Math.max(...vials.map((vial) => (vial.thawedAt as Date).getTime()));
      if (formulatedAt.getTime() < lastThaw) {
        throw validationFailed([
          { field: 'formulatedAt', errors: ['formulatedAt must not be before the last thaw'] },
        ]);
      }
      assertDrawable((await this.boosters.lockBatchDrawability(batch.id, tx.manager)) as BatchDrawability);
      const thawed = vials.map(thawedVial);
      const spec = await this.boosters.specification(batch.specificationId, tx.manager);
      if (!spec) throw new DomainError(ErrorCode.INVALID_TRANSITION, 'The batch has no specification');
      const below = vialsBelowViabilitySpec(spec, thawed);
      if (below.length > 0) {
        throw new DomainError(
          ErrorCode.QC_NOT_PASSED,
          `Post-thaw viability below the specification (${viabilityLimitOf(spec) ?? '?'} %): ${below.map((v) => v.label).join(', ')}`,
          {
            specVersion: spec.version,
            vials: below.map((v) => ({ label: v.label, postThawViabilityPct: v.postThawViabilityPct })),
          },
        );
      }
      const cells = boosterDoseCells(thawed);
      if (cells < 1)
        throw new DomainError(ErrorCode.INSUFFICIENT_CELLS, 'The thawed vials hold no viable cells');
      const dose = await this.doses.issueDose(tx, {
        batch: { id: batch.id, din: batch.din },
        kind: 'BOOSTER',
        boosterId,
        cells,
        volumeMl: dto.volumeMl,
        formulatedAt,
        expiresAt: boosterDoseExpiry(formulatedAt, this.env.boosterDoseShelfLifeHours),
      });
      if (!(await this.boosters.markFormulated(boosterId, dose.id, tx.now, tx.manager))) {
        throw new DomainError(ErrorCode.INVALID_TRANSITION, 'This booster has its dose already');
      }
      tx.audit({
        action: 'booster.dose_formulated',
        entityType: 'booster',
        entityId: boosterId,
        before: { status: booster.status },
        after: {
          status: 'FORMULATED',
          doseId: dose.id,
          label: dose.label,
          cells,
          vials: thawed.map((v) => ({
            label: v.label,
            cells: v.cells,
            postThawViabilityPct: v.postThawViabilityPct,
          })),
        },
      });
      return dose;
    });
  }

  /** A vial on hold (an excursion, an investigation) stays in the tank until its holds are released. */
  private async assertNotHeld(vials: readonly VialRow[], tx: TransactionContext): Promise<void> {
    await this.holds.assertNotHeld(vials, 'reserved', tx.manager);
  }

  private async reserve(tx: TransactionContext, vials: readonly VialRow[], boosterId: string): Promise<void> {
    const status = VialStatus.RESERVED;
    for (const vial of vials) transitionVial(vial.status, VialAction.RESERVE);
    await this.vials.markReserved(
      vials.map((vial) => vial.id),
      boosterId,
      tx.now,
      tx.manager,
    );
    await this.vials.insertEvents(
      vials.map((vial) => ({
        vialId: vial.id,
        event: 'RESERVED' as const,
        at: tx.now,
        recordedAt: tx.now,
        actorId: tx.actor.id,
        actorRole: tx.actor.role,
        fromStatus: vial.status,
        toStatus: status,
        from: null,
        to: null,
        reason: null,
        details: { boosterId },
      })),
      tx.manager,
    );
    for (const vial of vials) {
      tx.audit({
        action: 'vial.reserved',
        entityType: 'vial',
        entityId: vial.id,
        before: { label: vial.label, status: vial.status },
        after: { label: vial.label, status, boosterId },
      });
    }
  }
}

/** docs/domain.md, rules 7 and 13: only a released batch, not recalled and with no failure after release, is drawn. */
function assertDrawable(batch: BatchDrawability): void {
  if (batch.status !== 'RELEASED') {
    throw notAvailable(`The vials' batch is ${batch.status}; only vials of a RELEASED batch are drawn`, {
      batchId: batch.id,
    });
  }
  if (batch.recalledAt !== null) {
    throw notAvailable("The vials' batch was recalled after a positive QC result", {
      batchId: batch.id,
      recalledAt: batch.recalledAt,
    });
  }
  if (batch.postReleaseFailures > 0) {
    throw notAvailable("The vials' batch failed a QC test after release", {
      batchId: batch.id,
      postReleaseFailures: batch.postReleaseFailures,
    });
  }
}

function notAvailable(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.VIAL_NOT_AVAILABLE, message, details);
}

function thawedVial(vial: VialRow): ThawedVial {
  return {
    id: vial.id,
    label: vial.label,
    cells: vial.cells,
    postThawViabilityPct: vial.postThawViabilityPct as number,
  };
}
