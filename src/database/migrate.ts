import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../config/data-source';
import { ADVISORY_LOCKS } from '../common/locks/advisory-locks';

// The same key in every process (src/common/locks/advisory-locks.ts keeps the keys apart).
const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migrations;

/**
 * Runs pending migrations as the schema owner (not the restricted application role). Several processes may
 * start at once, so they queue on an advisory lock and the later ones find nothing left to do.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource({
    ...dataSourceOptions(databaseUrl, { poolSize: 2 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
