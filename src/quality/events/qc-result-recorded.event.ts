import { TransactionalEvent } from '../../common/events/event-bus';

/**
 * A QC result was recorded on a batch, inside its transaction after the result's row is written; the
 * environment module judges and records the equipment the test used (docs/environment.md, "Equipment").
 */
export class QcResultRecorded extends TransactionalEvent {
  constructor(
    readonly batchId: string,
    readonly qcResultId: string,
    /** The test's own time (testedAt). */
    readonly at: Date,
    readonly equipmentIds: readonly string[],
  ) {
    super();
  }
}
