import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { BoosterRequested } from '../bank/events/booster-requested.event';
import { VialRecordsService } from '../bank/vial-records.service';
import { BatchesService } from '../batches/batches.service';
import { BatchStatus } from '../batches/domain/batch-state-machine';
import { BatchStatusChanged } from '../batches/events/batch-status-changed.event';
import { CultureStepRecorded } from '../batches/events/culture-step-recorded.event';
import { InjectionPlanChanged } from '../batches/events/injection-plan-changed.event';
import { InjectionPlanReader } from '../batches/injection-plan-reader.service';
import { EventBus } from '../common/events/event-bus';
import { TransactionContext } from '../common/transaction/transactions.service';
import { DoseStatus } from '../doses/domain/dose-state-machine';
import { DosesService } from '../doses/doses.service';
import { FlagChange } from '../flags/domain/flag-decision';
import { FlagType } from '../flags/domain/flag-type';
import { DerivedFlag, FlagsService } from '../flags/flags.service';
import { followUpWindows, nextWindowEdgeAfter, openWindowAt } from './domain/follow-up-schedule';
import { kneeHasRelapsed } from './domain/knee-outcomes';
import { OutcomeReader } from './outcome-reader.service';
import { OutcomesRepository } from './outcomes.repository';

const KNEE_OF_SITE: Record<string, 'LEFT' | 'RIGHT'> = { LEFT_KNEE: 'LEFT', RIGHT_KNEE: 'RIGHT' };

/**
 * The outcome module's flags (docs/outcomes.md, "Flags"):
 * - VISIT_AT_RISK (subject: the batch) changes in the transaction of the count, passage, final harvest, plan
 *   or decision that changes the judgement: the batches module publishes those events, this module hears them.
 *   A replan resolves the flag of the old plan; the new plan raises its own if it is at risk too.
 * - BOOSTER_CANDIDATE (the donor) with the follow-up that shows pain back, resolved by a booster request.
 * - FOLLOW_UP_DUE (the dose): time makes it due, so the expiry jobs reconcile it (src/jobs/expiry), and a
 *   follow-up recorded in the window resolves it at once.
 */
@Injectable()
export class OutcomeFlags implements OnModuleInit {
  constructor(
    private readonly flags: FlagsService,
    private readonly events: EventBus,
    private readonly plans: InjectionPlanReader,
    private readonly batches: BatchesService,
    private readonly doses: DosesService,
    private readonly bank: VialRecordsService,
    private readonly outcomes: OutcomesRepository,
    private readonly reader: OutcomeReader,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.onEvent(CultureStepRecorded, 'outcomes.visit-at-risk', (tx, e) =>
      this.reconcileVisit(tx, e.batchId),
    );
    this.events.onEvent(InjectionPlanChanged, 'outcomes.visit-at-risk', (tx, e) =>
      this.reconcileVisit(tx, e.batchId, e.replacedVersion !== null),
    );
    this.events.onEvent(BatchStatusChanged, 'outcomes.visit-at-risk', (tx, e) =>
      this.reconcileVisit(tx, e.batchId),
    );
    this.events.onEvent(BoosterRequested, 'outcomes.booster-candidate', (tx, e) =>
      this.reconcileBoosterCandidate(tx, e.donorId),
    );
  }

  async reconcileVisit(tx: TransactionContext, batchId: string, replanned = false): Promise<void> {
    // Most batches have no plan, and a flag needs one (plans are never deleted): one look-up per step, no lock.
    if (!(await this.plans.hasPlan(batchId, tx.manager))) return;
    if (replanned) {
      await this.flags.reconcileWithin(tx, FlagType.VISIT_AT_RISK, batchId, () => Promise.resolve(null));
    }
    await this.flags.reconcileWithin(tx, FlagType.VISIT_AT_RISK, batchId, (manager) =>
      this.visitAtRisk(batchId, manager),
    );
  }

  async reconcileBoosterCandidate(tx: TransactionContext, donorId: string): Promise<void> {
    await this.flags.reconcileWithin(tx, FlagType.BOOSTER_CANDIDATE, donorId, (manager) =>
      this.boosterCandidate(donorId, manager),
    );
  }

  /** A follow-up was recorded for the dose: its window's flag ends now, not at the next sweep. */
  async followUpRecorded(tx: TransactionContext, doseId: string): Promise<void> {
    await this.flags.reconcileWithin(tx, FlagType.FOLLOW_UP_DUE, doseId, async (manager, now) => {
      const due = await this.followUpDue(doseId, manager, now);
      return due.derived;
    });
  }

  /** For the jobs: reconciles the dose's FOLLOW_UP_DUE and answers when its windows next open or close. */
  async reconcileFollowUp(doseId: string): Promise<{ change: FlagChange; nextAt: Date | null }> {
    const next: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(FlagType.FOLLOW_UP_DUE, doseId, async (manager, now) => {
      const due = await this.followUpDue(doseId, manager, now);
      next.at = due.nextAt;
      return due.derived;
    });
    return { change, nextAt: next.at };
  }

  /**
   * Doses that may have a follow-up window open now, and those with an open flag: the sweep's work. A window
   * is open when the dose was given m months (+/- 30 days) ago; a day more either side covers the calendar.
   */
  async followUpCandidates(now: Date): Promise<string[]> {
    const DAY = 86_400_000;
    const ranges = [3, 6, 12, 24].map((months) => {
      const centre = new Date(now);
      centre.setUTCMonth(centre.getUTCMonth() - months);
      return { from: new Date(centre.getTime() - 32 * DAY), to: new Date(centre.getTime() + 32 * DAY) };
    });
    const doses = await this.doses.administeredIn(ranges);
    const open = await this.flags.openSubjectIds(FlagType.FOLLOW_UP_DUE);
    return [...new Set([...doses.map((dose) => dose.id), ...open])];
  }

  private async visitAtRisk(batchId: string, manager: EntityManager): Promise<DerivedFlag | null> {
    const outlook = await this.plans.outlook(batchId, manager);
    if (!outlook?.plan) return null;
    const { plan } = outlook;
    return {
      holds: outlook.undecided && plan.onTrack === false,
      details: {
        din: outlook.din,
        plannedAt: plan.plannedAt.toISOString(),
        knees: plan.knees,
        requiredCells: plan.requiredCells,
        finalHarvestWindow: {
          from: plan.finalHarvestWindow.from.toISOString(),
          to: plan.finalHarvestWindow.to.toISOString(),
        },
        slackHours: plan.slackHours,
      },
      placement: { clinicId: outlook.clinicId, batchId, doseId: null, reviewId: null },
    };
  }

  private async followUpDue(
    doseId: string,
    manager: EntityManager,
    now: Date,
  ): Promise<{ derived: DerivedFlag | null; nextAt: Date | null }> {
    const dose = await this.doses.administrationOf(doseId, manager);
    if (!dose || dose.status !== DoseStatus.ADMINISTERED || !dose.administeredAt || !dose.site) {
      return { derived: null, nextAt: null };
    }
    const windows = followUpWindows(dose.administeredAt, this.env.facilityTz);
    const window = openWindowAt(windows, now);
    const seen = window
      ? await this.outcomes.hasFollowUpBetween(doseId, window.opensAt, window.closesAt, manager)
      : false;
    return {
      derived: {
        holds: window !== null && !seen,
        details: {
          label: dose.label,
          knee: KNEE_OF_SITE[dose.site],
          administeredAt: dose.administeredAt.toISOString(),
          ...(window
            ? {
                month: window.month,
                dueAt: window.dueAt.toISOString(),
                closesAt: window.closesAt.toISOString(),
              }
            : {}),
        },
        placement: { clinicId: dose.clinicId, batchId: dose.batchId, doseId, reviewId: null },
      },
      nextAt: nextWindowEdgeAfter(windows, now),
    };
  }

  /**
   * A knee that responded has its pain back to >= 80 % of its baseline, the donor has STORED vials of a
   * released batch, and no booster was requested since that follow-up was recorded.
   */
  private async boosterCandidate(donorId: string, manager: EntityManager): Promise<DerivedFlag | null> {
    const rows = await this.outcomes.ofDonor(donorId, manager);
    if (rows.length === 0) return null;
    const relapsed: { knee: string; assessedAt: Date; recordedAt: Date }[] = [];
    for (const knee of ['LEFT', 'RIGHT'] as const) {
      const ofKnee = rows.filter((row) => row.knee === knee);
      if (!kneeHasRelapsed(ofKnee, await this.reader.derive(ofKnee, manager))) continue;
      const latest = ofKnee.filter((row) => row.kind === 'FOLLOW_UP').at(-1);
      if (latest) relapsed.push({ knee, assessedAt: latest.assessedAt, recordedAt: latest.recordedAt });
    }
    const standing = await this.bank.boosterStanding(donorId, manager);
    const statuses = await this.batches.statusesOf(standing.storedVialBatchIds, manager);
    const bankedBatchIds = standing.storedVialBatchIds.filter(
      (id) => statuses.get(id) === BatchStatus.RELEASED,
    );
    const requestedAt = standing.latestBoosterRequestedAt?.getTime() ?? -Infinity;
    // A booster requested once the relapse was on record answers it.
    const waiting = relapsed.filter((r) => r.recordedAt.getTime() > requestedAt);
    return {
      holds: waiting.length > 0 && bankedBatchIds.length > 0,
      details: {
        knees: waiting.map((r) => ({ knee: r.knee, assessedAt: r.assessedAt.toISOString() })),
        bankedBatchIds,
      },
      placement: { clinicId: rows[0].clinicId, batchId: null, doseId: null, reviewId: null },
    };
  }
}
