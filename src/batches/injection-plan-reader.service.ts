import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { currentEntries } from '../common/corrections/correction';
import { BatchStepsRepository } from './batch-steps.repository';
import { BATCH_TRANSITIONS, BatchAction, BatchStatus } from './domain/batch-state-machine';
import { growthOf } from './domain/culture-record';
import { finalHarvestWindow, judgePlan } from './domain/injection-plan';
import { InjectionPlanViewDto, injectionPlanView } from './dto/injection-plan.dto';
import { InjectionPlanEntity } from './injection-plan.entity';
import { InjectionPlansRepository } from './injection-plans.repository';

/** The statuses in which a plan may be set, and in which its visit can be at risk: before the decision. */
const PLANNABLE_STATUSES = BATCH_TRANSITIONS.filter(
  (row) => row.action === BatchAction.PLAN_INJECTION,
).flatMap((row) => row.from);

/** A plan as the flags see it: the batch it belongs to and how the visit stands. */
export interface VisitOutlook {
  batchId: string;
  din: string;
  clinicId: string;
  status: BatchStatus;
  /** The plan in force, judged against the culture now; null when the batch has no plan. */
  plan: InjectionPlanViewDto | null;
  /** Plans can be at risk only before the batch is decided. */
  undecided: boolean;
}

/**
 * The injection plan of a batch as read (docs/outcomes.md, "The plan"): judged when read, from the same growth
 * fit as the projected ready date, so the batch view, the chart and the flag always agree with the record.
 * Without a manager it reads committed rows; inside a command it sees that command's rows.
 */
@Injectable()
export class InjectionPlanReader {
  constructor(
    private readonly plans: InjectionPlansRepository,
    private readonly steps: BatchStepsRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** The plan in force, judged now; null without one. */
  async viewOf(batchId: string, manager?: EntityManager): Promise<InjectionPlanViewDto | null> {
    const outlook = await this.outlook(batchId, manager);
    return outlook?.plan ?? null;
  }

  async hasPlan(batchId: string, manager?: EntityManager): Promise<boolean> {
    return (await this.plans.current(batchId, manager)) !== null;
  }

  /** How the visit stands, for the flags. */
  async outlook(batchId: string, manager?: EntityManager): Promise<VisitOutlook | null> {
    const batch = await this.plans.findSubject(batchId, manager);
    if (!batch) return null;
    const plan = await this.plans.current(batchId, manager);
    return {
      batchId,
      din: batch.din,
      clinicId: batch.clinicId,
      status: batch.status,
      plan: plan ? await this.judged(plan, batch.targetCellCount, batch.status, manager) : null,
      undecided: PLANNABLE_STATUSES.includes(batch.status),
    };
  }

  /** Batches whose visit may still be at risk (for the sweep). */
  batchIdsWithOpenPlan(): Promise<string[]> {
    return this.plans.batchIdsWithPlanIn(PLANNABLE_STATUSES);
  }

  async judged(
    plan: InjectionPlanEntity,
    targetCellCount: number,
    status: BatchStatus,
    manager?: EntityManager,
  ): Promise<InjectionPlanViewDto> {
    const steps = await this.steps.findSteps(plan.batchId, manager);
    const growth = growthOf(steps, targetCellCount);
    const harvest = currentEntries(steps.finalHarvests)[0] ?? null;
    const window = finalHarvestWindow(
      plan.plannedAt,
      this.env.freshDoseShelfLifeHours,
      this.env.releaseLeadHours,
    );
    const judgement = judgePlan(
      plan,
      {
        // A culture that is no longer growing (discarded before its final harvest) projects nothing.
        points: status === BatchStatus.IN_CULTURE ? growth.points : [],
        cellsPlated: steps.isolation?.cellCount ?? null,
        finalHarvest: harvest ? { at: harvest.performedAt, viableCells: harvest.viableCells } : null,
      },
      window,
    );
    return injectionPlanView(plan, judgement);
  }
}
