import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { IdempotencyRepository } from '../../common/idempotency/idempotency.repository';
import { UNDELIVERED_DOSE_STATUSES } from '../../doses/domain/dose-state-machine';
import { DOSE_EXPIRING_WITHIN_HOURS, FlagType } from '../../flags/domain/flag-type';
import { FlagsService } from '../../flags/flags.service';
import { FlagTally, subjectsToReconcile } from '../flag-tally';
import { EvaluateJobData, FlagJobResult, JobQueueName } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { WakeUps } from '../queues/wake-ups';
import { OutcomeFlags } from '../../outcomes/outcome-flags.service';
import { DoseExpiryFactsRepository } from '../../read-model/dose-expiry-facts.repository';

const WINDOW_MS = DOSE_EXPIRING_WITHIN_HOURS * 3600 * 1000;

/**
 * FOLLOW_UP_DUE rides along: like DOSE_EXPIRING it is a dose's flag that time makes due (src/outcomes says
 * when), so an administration's event and the hourly sweep reconcile both.
 *
 * DOSE_EXPIRING: a dose not yet administered (nor recalled, rejected or destroyed) that expires within 6 h.
 * The flag resolves when the dose is administered, recalled or otherwise done with, or expires. Wake-ups at
 * the window's start and at the expiry keep it on time between the hourly sweeps.
 */
@Injectable()
export class ExpiryService {
  constructor(
    private readonly doses: DoseExpiryFactsRepository,
    private readonly flags: FlagsService,
    private readonly wakeUps: WakeUps,
    private readonly metrics: JobMetrics,
    private readonly clock: Clock,
    private readonly idempotencyKeys: IdempotencyRepository,
    private readonly followUps: OutcomeFlags,
  ) {}

  async evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    for (const doseId of await this.doses.doseIdsOfSubject(data.subjectType, data.subjectId)) {
      await this.reconcileDose(tally, doseId);
    }
    if (data.subjectType === 'dose') await this.reconcileFollowUp(tally, data.subjectId);
    return tally.done();
  }

  async sweep(): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    const now = this.clock.now();
    // Expired Idempotency-Keys go with the hourly expiry sweep too, so the table holds about two days of keys.
    await this.idempotencyKeys.purgeExpired(now);
    const expiring = await this.doses.liveDoseIdsExpiringBetween(now, new Date(now.getTime() + WINDOW_MS));
    for (const doseId of subjectsToReconcile(
      expiring,
      await this.flags.openSubjectIds(FlagType.DOSE_EXPIRING),
    )) {
      await this.reconcileDose(tally, doseId);
    }
    for (const doseId of await this.followUps.followUpCandidates(now)) {
      await this.reconcileFollowUp(tally, doseId);
    }
    return tally.done();
  }

  /** FOLLOW_UP_DUE (src/outcomes): a wake-up at the next window edge keeps it on time between sweeps. */
  private async reconcileFollowUp(tally: FlagTally, doseId: string): Promise<void> {
    const { change, nextAt } = await this.followUps.reconcileFollowUp(doseId);
    tally.add(FlagType.FOLLOW_UP_DUE, change);
    if (nextAt)
      await this.wakeUps.at(JobQueueName.EXPIRY, { subjectType: 'dose', subjectId: doseId }, nextAt);
  }

  private async reconcileDose(tally: FlagTally, doseId: string): Promise<void> {
    const next: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(FlagType.DOSE_EXPIRING, doseId, async (manager, now) => {
      const dose = await this.doses.dose(doseId, manager);
      if (!dose) return null;
      const expiresAt = new Date(dose.expiresAt);
      const live = UNDELIVERED_DOSE_STATUSES.includes(dose.status);
      const left = expiresAt.getTime() - now.getTime();
      if (live && left > 0)
        next.at = left > WINDOW_MS ? new Date(expiresAt.getTime() - WINDOW_MS) : expiresAt;
      return {
        holds: live && left > 0 && left <= WINDOW_MS,
        details: { din: dose.din, label: dose.label, kind: dose.kind, expiresAt: expiresAt.toISOString() },
        placement: { clinicId: dose.clinicId, batchId: dose.batchId, doseId, reviewId: null },
      };
    });
    tally.add(FlagType.DOSE_EXPIRING, change);
    if (next.at)
      await this.wakeUps.at(JobQueueName.EXPIRY, { subjectType: 'dose', subjectId: doseId }, next.at);
  }
}
