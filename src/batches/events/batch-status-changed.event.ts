import { TransactionalEvent } from '../../common/events/event-bus';
import { BatchStatus } from '../domain/batch-state-machine';

/**
 * A batch was decided (released, rejected or discarded), published by BatchesService.setStatus inside the
 * command's transaction. The outcomes module resolves a visit at risk
 * once the batch is decided.
 */
export class BatchStatusChanged extends TransactionalEvent {
  constructor(
    readonly batchId: string,
    readonly status: BatchStatus,
  ) {
    super();
  }
}
