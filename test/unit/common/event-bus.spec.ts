import { EntityManager } from 'typeorm';
import { EventBus, TransactionalEvent } from '../../../src/common/events/event-bus';
import { TransactionContext } from '../../../src/common/transaction/transactions.service';
import { SYSTEM_ACTOR } from '../../../src/common/transaction/actor';

class LotOpened extends TransactionalEvent {
  constructor(readonly lotId: string) {
    super();
  }
}

class LotClosed extends TransactionalEvent {
  constructor(readonly lotId: string) {
    super();
  }

  override toOutbox() {
    return { type: 'lot.closed', subjectType: 'lot', subjectId: this.lotId };
  }
}

function aTransaction(): TransactionContext {
  return new TransactionContext({} as EntityManager, SYSTEM_ACTOR, new Date('2026-11-24T00:00:00Z'));
}

describe('EventBus', () => {
  it('runs the handlers of the event class, in registration order, on the publisher transaction', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const tx = aTransaction();
    bus.onEvent(LotOpened, 'first', async (inTx, event) => {
      expect(inTx).toBe(tx);
      seen.push(`first:${event.lotId}`);
    });
    bus.onEvent(LotOpened, 'second', async (_tx, event) => {
      seen.push(`second:${event.lotId}`);
    });
    bus.onEvent(LotClosed, 'other', async () => {
      seen.push('closed');
    });
    await bus.publish(tx, new LotOpened('L1'));
    expect(seen).toEqual(['first:L1', 'second:L1']);
  });

  it('lets a failing handler abort the command: the error reaches the publisher and later handlers do not run', async () => {
    const bus = new EventBus();
    const later = jest.fn(async () => undefined);
    bus.onEvent(LotOpened, 'refuses', async () => {
      throw new Error('no');
    });
    bus.onEvent(LotOpened, 'later', later);
    await expect(bus.publish(aTransaction(), new LotOpened('L1'))).rejects.toThrow('no');
    expect(later).not.toHaveBeenCalled();
  });

  it("queues the event's outbox row on the transaction, and none for events without one", async () => {
    const bus = new EventBus();
    const tx = aTransaction();
    await bus.publish(tx, new LotOpened('L1'));
    await bus.publish(tx, new LotClosed('L2'));
    expect(tx.events).toEqual([{ type: 'lot.closed', subjectType: 'lot', subjectId: 'L2' }]);
  });

  it('refuses to register the same reaction twice', () => {
    const bus = new EventBus();
    bus.onEvent(LotOpened, 'once', async () => undefined);
    expect(() => bus.onEvent(LotOpened, 'once', async () => undefined)).toThrow(/registered twice/);
    expect(bus.handlerIds(LotOpened)).toEqual(['once']);
  });
});
