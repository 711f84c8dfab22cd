import { Injectable } from '@nestjs/common';
import { EnvironmentFlagConditions } from '../../environment/environment-flags.service';
import { FlagType } from '../../flags/domain/flag-type';
import { FlagsService } from '../../flags/flags.service';
import { FlagTally } from '../flag-tally';
import { EvaluateJobData, FlagJobResult, JobQueueName } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { WakeUps } from '../queues/wake-ups';

/**
 * The facility's flags (docs/environment.md): TEMPERATURE_EXCURSION (subject: the excursion) until QA's
 * disposition, CALIBRATION_DUE (the equipment) from 14 days before its due date until a passing calibration,
 * ENVIRONMENT_ACTION (the sample), closed by a qa acknowledgement. Events bring them within seconds; the sweep
 * (hourly) and a wake-up at the start of each 14-day window catch what time alone makes due.
 */
@Injectable()
export class EnvironmentFlagsService {
  constructor(
    private readonly conditions: EnvironmentFlagConditions,
    private readonly flags: FlagsService,
    private readonly wakeUps: WakeUps,
    private readonly metrics: JobMetrics,
  ) {}

  async evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    switch (data.subjectType) {
      case 'excursion':
        tally.add(
          FlagType.TEMPERATURE_EXCURSION,
          await this.flags.reconcile(FlagType.TEMPERATURE_EXCURSION, data.subjectId, (manager) =>
            this.conditions.excursion(data.subjectId, manager),
          ),
        );
        break;
      case 'equipment':
        await this.reconcileCalibration(tally, data.subjectId);
        break;
      case 'environmental_sample':
        tally.add(
          FlagType.ENVIRONMENT_ACTION,
          await this.flags.reconcile(FlagType.ENVIRONMENT_ACTION, data.subjectId, (manager) =>
            this.conditions.environmentAction(data.subjectId, manager),
          ),
        );
        break;
      default:
        return tally.done(`no environment flag for a ${data.subjectType}`);
    }
    return tally.done();
  }

  /** Calibrations: every piece of equipment (a facility has tens) and every open flag. */
  async sweep(): Promise<FlagJobResult> {
    const tally = new FlagTally(this.metrics);
    const equipmentIds = await this.conditions.equipmentIds();
    const open = await this.flags.openSubjectIds(FlagType.CALIBRATION_DUE);
    for (const id of new Set([...equipmentIds, ...open])) {
      await this.reconcileCalibration(tally, id);
    }
    return tally.done();
  }

  private async reconcileCalibration(tally: FlagTally, equipmentId: string): Promise<void> {
    const later: { at: Date | null } = { at: null };
    const change = await this.flags.reconcile(FlagType.CALIBRATION_DUE, equipmentId, async (manager, now) => {
      const { derived, holdsFrom } = await this.conditions.calibrationDue(equipmentId, manager, now);
      later.at = holdsFrom;
      return derived;
    });
    tally.add(FlagType.CALIBRATION_DUE, change);
    if (later.at) {
      await this.wakeUps.at(
        JobQueueName.ENVIRONMENT,
        { subjectType: 'equipment', subjectId: equipmentId },
        later.at,
      );
    }
  }
}
