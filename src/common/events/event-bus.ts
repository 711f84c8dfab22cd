import { Injectable } from '@nestjs/common';
import { OutboxEvent, TransactionContext } from '../transaction/transactions.service';

/**
 * Something that happened in one module that others may react to in the same transaction. The publishing
 * module declares the event class (`src/<module>/events/*.event.ts`); reacting modules import the class, never
 * the other way round. An event that the background jobs should also hear names its outbox row.
 */
export abstract class TransactionalEvent {
  /** The outbox row written with the transaction, for reactions after the commit (jobs); none by default. */
  toOutbox(): OutboxEvent | null {
    return null;
  }
}

type EventClass<E extends TransactionalEvent> = abstract new (...args: never[]) => E;

/** A reaction that runs inside the publisher's transaction: its writes commit with it, its throw rolls it back. */
export type BlockingHandler<E extends TransactionalEvent> = (
  tx: TransactionContext,
  event: E,
) => Promise<void>;

interface Registration {
  id: string;
  handler: BlockingHandler<TransactionalEvent>;
}

/**
 * The one way module B reacts to module A in the same transaction (docs/architecture.md, "Event bus"): A
 * publishes a typed event inside `Transactions.run`; B registered a blocking handler for its class when it
 * started (`onModuleInit`). A does not know B, so the import graph runs B -> A only.
 *
 * Handlers run one after another, in registration order, on the publisher's transaction, so they see its
 * uncommitted rows and locks. The event's outbox row (if any) is queued before the handlers run.
 */
@Injectable()
export class EventBus {
  private readonly handlers = new Map<EventClass<TransactionalEvent>, Registration[]>();

  /** Registers a blocking handler; `id` names the reaction in logs and refuses a second registration of it. */
  onEvent<E extends TransactionalEvent>(type: EventClass<E>, id: string, handler: BlockingHandler<E>): void {
    const registrations = this.handlers.get(type) ?? [];
    if (registrations.some((r) => r.id === id)) {
      throw new Error(`Event handler ${id} is registered twice for ${type.name}`);
    }
    registrations.push({ id, handler: handler as BlockingHandler<TransactionalEvent> });
    this.handlers.set(type, registrations);
  }

  /** Runs every handler of the event's class inside `tx`; the first to throw aborts the command. */
  async publish(tx: TransactionContext, event: TransactionalEvent): Promise<void> {
    const outbox = event.toOutbox();
    if (outbox) tx.emit(outbox);
    const registrations = this.handlers.get(event.constructor as EventClass<TransactionalEvent>) ?? [];
    for (const { handler } of registrations) await handler(tx, event);
  }

  /** The reactions registered for an event class, by id (for tests and diagnostics). */
  handlerIds(type: EventClass<TransactionalEvent>): string[] {
    return (this.handlers.get(type) ?? []).map((r) => r.id);
  }
}
