/* `npm run migration:run`: creates the database if needed and applies pending migrations, then exits. */
import { DEFAULT_DATABASE_URL } from '../../config/environment';
import { ensureDatabaseExists } from './ensure-database';
import { runMigrations } from './migrate';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (await ensureDatabaseExists(databaseUrl)) console.log('created database');
  const applied = await runMigrations(databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
