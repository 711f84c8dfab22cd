import { TransactionalEvent } from '../../common/events/event-bus';

/**
 * A batch's injection plan was set or replaced, inside the command's transaction after the new version is
 * written and under the batch's lock. The outcomes module re-judges the visit there (VISIT_AT_RISK).
 */
export class InjectionPlanChanged extends TransactionalEvent {
  constructor(
    readonly batchId: string,
    /** The version replaced, or null for the first plan. */
    readonly replacedVersion: number | null,
  ) {
    super();
  }
}
