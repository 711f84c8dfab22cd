import { TransactionalEvent } from '../../common/events/event-bus';

/**
 * A batch's cells were frozen into vials, inside the cryopreservation's transaction after its rows are
 * written; the environment module judges and records the equipment used (docs/environment.md, "Equipment").
 */
export class CellsCryopreserved extends TransactionalEvent {
  constructor(
    readonly batchId: string,
    readonly cryopreservationId: string,
    /** frozenAt. */
    readonly at: Date,
    readonly equipmentIds: readonly string[],
  ) {
    super();
  }
}
