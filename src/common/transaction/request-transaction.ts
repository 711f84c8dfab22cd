import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, QueryRunner } from 'typeorm';

/**
 * One transaction for a whole request, on one connection: what the request writes and the answer saved
 * under its Idempotency-Key (src/common/idempotency/idempotency.interceptor.ts) commit together or not at all.
 *
 * While `run` is active, every query runner the data source hands out (plain queries, query builders, and
 * `Transactions.run`, whose transaction becomes a savepoint) is this one connection, so reads after a
 * command's transaction see its uncommitted rows. Outside `run` nothing changes.
 */
/** Savepoints deep a request may be when it ends (the request, the idempotency savepoint, a command's). */
const MAX_UNWIND = 8;

@Injectable()
export class RequestTransactions implements OnModuleInit {
  private readonly current = new AsyncLocalStorage<QueryRunner>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const original = this.dataSource.createQueryRunner.bind(this.dataSource);
    this.dataSource.createQueryRunner = (mode) => {
      const runner = this.current.getStore();
      return runner ? borrowed(runner) : original(mode);
    };
  }

  /**
   * Opens a transaction on a connection of its own and runs `work` with it as the request's connection.
   * `work` commits or rolls back through the runner it is given; whatever it leaves open is rolled back.
   */
  async run<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      return await this.current.run(runner, () => work(runner));
    } finally {
      // TypeORM's rollback undoes one level at a time (a savepoint first): unwind them all, or the connection
      // would go back to the pool inside an open transaction and swallow the writes of whoever takes it next.
      for (let level = 0; level < MAX_UNWIND && runner.isTransactionActive; level++)
        await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}

/** The request's runner, lent out: whoever borrowed it must not release the connection under the request. */
function borrowed(runner: QueryRunner): QueryRunner {
  return new Proxy(runner, {
    get(target, property) {
      if (property === 'release') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
