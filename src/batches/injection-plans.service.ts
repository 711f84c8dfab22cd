import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { BatchesService } from './batches.service';
import { BatchAction, transition } from './domain/batch-state-machine';
import { InjectionPlanViewDto, SetInjectionPlanDto } from './dto/injection-plan.dto';
import { InjectionPlanChanged } from './events/injection-plan-changed.event';
import { InjectionPlanEntity } from './injection-plan.entity';
import { InjectionPlanReader } from './injection-plan-reader.service';
import { InjectionPlansRepository } from './injection-plans.repository';

/** Setting a batch's injection plan (docs/outcomes.md, "The plan"); reading it is InjectionPlanReader's. */
@Injectable()
export class InjectionPlansService {
  constructor(
    private readonly plans: InjectionPlansRepository,
    private readonly reader: InjectionPlanReader,
    private readonly batches: BatchesService,
    private readonly transactions: Transactions,
    private readonly events: EventBus,
  ) {}

  /**
   * Sets the plan (the next version) under the batch's row lock, so two doctors replanning at once are two
   * versions one after the other, and a step recorded meanwhile is judged against one of them.
   */
  async set(user: AuthUser, batchId: string, dto: SetInjectionPlanDto): Promise<InjectionPlanViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.batches.lockVisible(tx, user, batchId);
      transition(batch.status, BatchAction.PLAN_INJECTION);
      const previous = await this.plans.current(batchId, tx.manager);
      const row: InjectionPlanEntity = {
        id: randomUUID(),
        batchId,
        version: (previous?.version ?? 0) + 1,
        plannedAt: new Date(dto.plannedAt),
        knees: [...dto.knees],
        cellsPerKnee: dto.cellsPerKnee,
        plannedBy: user.id,
        recordedAt: tx.now,
      };
      await this.plans.insert(row, tx.manager);
      tx.audit({
        action: previous ? 'batch.injection_replanned' : 'batch.injection_planned',
        entityType: 'batch',
        entityId: batchId,
        before: previous ? planTerms(previous) : null,
        after: planTerms(row),
      });
      await this.events.publish(tx, new InjectionPlanChanged(batchId, previous?.version ?? null));
      return this.reader.judged(row, batch.targetCellCount, batch.status, tx.manager);
    });
  }
}

function planTerms(plan: InjectionPlanEntity): Record<string, unknown> {
  return {
    version: plan.version,
    plannedAt: plan.plannedAt,
    knees: plan.knees,
    cellsPerKnee: plan.cellsPerKnee,
  };
}
