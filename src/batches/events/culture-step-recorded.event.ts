import { TransactionalEvent } from '../../common/events/event-bus';

export type CultureStep = 'ISOLATION' | 'PASSAGE' | 'CELL_COUNT' | 'FINAL_HARVEST';

/**
 * A culture step was recorded on a batch (isolation, passage, count, final harvest, or a correction of one),
 * published inside the step's transaction after its row is written and under the batch's lock. The
 * environment module hears it to judge and record the equipment the step used (docs/environment.md,
 * "Equipment"); refusing it rolls the step back.
 */
export class CultureStepRecorded extends TransactionalEvent {
  constructor(
    readonly batchId: string,
    readonly step: CultureStep,
    readonly stepId: string,
    /** The step's own time (performedAt, countedAt). */
    readonly at: Date,
    readonly equipmentIds: readonly string[],
  ) {
    super();
  }
}
