import '../src/database/pg-types';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DEFAULT_DATABASE_URL } from './environment';

/**
 * One description of the database for the app and for the TypeORM CLI
 * (`npx typeorm -d dist/config/data-source.js migration:show`). Schema changes are migrations only.
 */
export function dataSourceOptions(
  url: string,
  options: {
    appRole?: string;
    poolSize?: number;
    /** The application's bounds (docs/operations.md, "Security"); migrations run without a statement bound. */
    statementTimeoutMs?: number;
    acquireTimeoutMs?: number;
  } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    // Each table's row shape, declared once in its owning module (docs/architecture.md, "Table ownership").
    entities: [join(__dirname, '..', 'src', '**', '*.entity.{js,ts}')],
    migrations: [join(__dirname, '..', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'schema_migrations',
    // Each migration runs in its own transaction so a failed one leaves the schema as it was.
    migrationsTransactionMode: 'each',
    extra: {
      max: options.poolSize ?? 10,
      // The application's sessions assume a role that may only read and insert the audit trail, so not even
      // a bug in the service can rewrite history. Migrations connect without it, as the schema owner.
      ...(options.appRole ? { options: `-c role=${options.appRole}` } : {}),
      connectionTimeoutMillis: options.acquireTimeoutMs ?? 5000,
      ...(options.statementTimeoutMs ? statementBounds(options.statementTimeoutMs) : {}),
    },
  };
}

/**
 * A statement that runs too long is cancelled by PostgreSQL (57014), one that waits too long for a lock too
 * (55P03); and should the server itself stop answering (frozen, partitioned),
 * the client gives up one second later (pg's query_timeout). Each is a 503, so no request outlives the bound.
 */
function statementBounds(ms: number): Record<string, number | boolean> {
  return {
    statement_timeout: ms,
    lock_timeout: ms,
    query_timeout: ms + 1000,
    // A dead peer on a silent network is noticed by TCP keep-alive instead of never.
    keepAlive: true,
  };
}

export default new DataSource(dataSourceOptions(process.env.DATABASE_URL || DEFAULT_DATABASE_URL));
