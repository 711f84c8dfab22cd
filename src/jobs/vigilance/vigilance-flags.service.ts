import { Injectable } from '@nestjs/common';
import { FlagType } from '../../flags/domain/flag-type';
import { FlagsService } from '../../flags/flags.service';
import { VigilanceFlagConditions } from '../../vigilance/vigilance-flags.service';
import { FlagTally } from '../flag-tally';
import { EvaluateJobData, FlagJobResult, JobQueueName } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { WakeUps } from '../queues/wake-ups';

/**
 * ADVERSE_EVENT_REPORT_DUE (subject: the adverse event, docs/vigilance.md): raised within seconds of a serious
 * event's record (its outbox event), marked `overdue` at its due moment (a wake-up then, and the hourly sweep
 * as the backstop), resolved when the report is signed.
 */
@Injectable()
export class VigilanceFlagsService {
  constructor(
    private readonly conditions: VigilanceFlagConditions,
    private readonly flags: FlagsService,
    private readonly wakeUps: WakeUps,
    private readonly metrics: JobMetrics,
  ) {}

  async evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    if (data.subjectType !== 'adverse_event')
      return tally.done(`no vigilance flag for a ${data.subjectType}`);
    await this.reconcile(tally, data.subjectId);
    return tally.done();
  }

  /** The serious events awaiting their report, and every open flag (one whose event was reported meanwhile). */
  async sweep(): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    const awaiting = await this.conditions.awaitingReport();
    const open = await this.flags.openSubjectIds(FlagType.ADVERSE_EVENT_REPORT_DUE);
    for (const id of new Set([...awaiting, ...open])) await this.reconcile(tally, id);
    return tally.done();
  }

  private async reconcile(tally: FlagTally, eventId: string): Promise<void> {
    const later: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(
      FlagType.ADVERSE_EVENT_REPORT_DUE,
      eventId,
      async (manager, now) => {
        const { derived, overdueFrom } = await this.conditions.reportDue(eventId, manager, now);
        later.at = overdueFrom;
        return derived;
      },
    );
    tally.add(FlagType.ADVERSE_EVENT_REPORT_DUE, change);
    if (later.at) {
      await this.wakeUps.at(
        JobQueueName.VIGILANCE,
        { subjectType: 'adverse_event', subjectId: eventId },
        later.at,
      );
    }
  }
}
