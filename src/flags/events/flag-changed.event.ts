import { DomainEvent } from '../../common/events/domain-events';
import { TransactionalEvent } from '../../common/events/event-bus';
import { OutboxEvent } from '../../common/transaction/transactions.service';
import { FlagViewDto } from '../dto/flag-view.dto';

/**
 * A flag was raised or resolved: published inside the transaction that changed it, with the flag as GET /flags
 * shows it then. The notifications module records what it will send in the same commit (docs/notifications.md);
 * the outbox row wakes the delivery jobs after it.
 */
export abstract class FlagChanged extends TransactionalEvent {
  abstract readonly type: DomainEvent.FLAG_RAISED | DomainEvent.FLAG_RESOLVED;

  constructor(
    readonly flag: FlagViewDto,
    readonly at: Date,
  ) {
    super();
  }

  override toOutbox(): OutboxEvent {
    return {
      type: this.type,
      subjectType: 'flag',
      subjectId: this.flag.id,
      payload: { flagType: this.flag.type, ...(this.flag.batchId ? { batchId: this.flag.batchId } : {}) },
    };
  }
}

export class FlagRaised extends FlagChanged {
  readonly type = DomainEvent.FLAG_RAISED;
}

export class FlagResolved extends FlagChanged {
  readonly type = DomainEvent.FLAG_RESOLVED;
}
