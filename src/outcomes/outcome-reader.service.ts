import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { DosesService } from '../doses/doses.service';
import { deriveKneeOutcomes, DerivedOutcome } from './domain/knee-outcomes';
import { OutcomeViewDto } from './dto/outcome.dto';
import { OutcomeAssessmentEntity, OutcomeKnee } from './outcome-assessment.entity';
import { OutcomesRepository } from './outcomes.repository';

/** A knee's outcomes as derived from the record: for the views and for the booster-candidate rule. */
@Injectable()
export class OutcomeReader {
  constructor(
    private readonly outcomes: OutcomesRepository,
    private readonly doses: DosesService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** A knee's assessments with what they say, oldest first. */
  async kneeViews(donorId: string, knee: OutcomeKnee, manager?: EntityManager): Promise<OutcomeViewDto[]> {
    const rows = (await this.outcomes.ofDonor(donorId, manager)).filter((row) => row.knee === knee);
    const derived = await this.derive(rows, manager);
    return rows.map((row, i) => outcomeView(row, derived[i]));
  }

  /** When each dose the follow-ups name was given. */
  async administrationTimes(
    rows: readonly OutcomeAssessmentEntity[],
    manager?: EntityManager,
  ): Promise<Map<string, Date>> {
    const times = new Map<string, Date>();
    for (const doseId of new Set(rows.map((row) => row.doseId).filter((id): id is string => id !== null))) {
      const dose = await this.doses.administrationOf(doseId, manager);
      if (dose?.administeredAt) times.set(doseId, dose.administeredAt);
    }
    return times;
  }

  /** What each of a knee's assessments says (same order). */
  async derive(rows: readonly OutcomeAssessmentEntity[], manager?: EntityManager): Promise<DerivedOutcome[]> {
    return deriveKneeOutcomes(rows, await this.administrationTimes(rows, manager), this.env.facilityTz);
  }
}

function outcomeView(row: OutcomeAssessmentEntity, derived: DerivedOutcome): OutcomeViewDto {
  return {
    id: row.id,
    donorId: row.donorId,
    knee: row.knee,
    kind: row.kind,
    assessedAt: row.assessedAt,
    vasPain: row.vasPain,
    koosPain: row.koosPain,
    doseId: row.doseId,
    baselineId: derived.baselineId,
    monthsAfter: derived.monthsAfter,
    vasReductionPct: derived.vasReductionPct,
    koosPainImprovement: derived.koosPainImprovement,
    responder: derived.responder,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  };
}
