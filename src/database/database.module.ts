import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { dataSourceOptions } from '../../config/data-source';
import { Clock } from '../common/clock/clock';
import { IdempotencyRepository } from '../common/idempotency/idempotency.repository';
import { RequestTransactions } from '../common/transaction/request-transaction';
import { Transactions } from '../common/transaction/transactions.service';
import { ensureDatabaseExists } from './ensure-database';
import { runMigrations } from './migrate';

/**
 * The connection pool (under the restricted application role) and the transaction helper. On start it
 * creates the database if missing and applies migrations when MIGRATE_ON_START is true.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: async (env: AppConfig) => {
        const logger = new Logger('Database');
        if (env.migrateOnStart) {
          if (await ensureDatabaseExists(env.databaseUrl)) logger.log('created the database');
          const applied = await runMigrations(env.databaseUrl);
          if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
        }
        return {
          ...dataSourceOptions(env.databaseUrl, {
            appRole: env.databaseAppRole,
            poolSize: env.databasePoolSize,
          }),
          // Failed statements surface as exceptions: the filter logs what is unexpected, so TypeORM stays quiet.
          logging: false,
          // A database that is down at start is retried a few times, then the process exits non-zero.
          retryAttempts: 5,
          retryDelay: 2000,
        };
      },
    }),
  ],
  providers: [Clock, Transactions, RequestTransactions, IdempotencyRepository],
  exports: [Clock, Transactions, RequestTransactions, IdempotencyRepository],
})
export class DatabaseModule {}
