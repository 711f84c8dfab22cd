import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ensureDatabaseExists } from '../../src/database/ensure-database';
import { runMigrations } from '../../src/database/migrate';
import { TEST_ADMIN } from './test-env';

/**
 * One fresh database and one queue prefix per test run, so runs never interfere; the teardown drops both.
 * Workers inherit these variables.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/cpc_test_${runId}`;
  const databaseUrl = base.toString();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `cpc_test_${runId}`,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: randomBytes(32).toString('hex'),
    // One signing key for the run: every app of the run signs the shared ledger's heads with it.
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    // One sealing key for the run, so an app restarted by a test still opens the webhook secrets it sealed.
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_EMAIL: TEST_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN.password,
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Cheaper password hashing keeps a suite of many logins fast; production uses the library's defaults.
    PASSWORD_HASH_MEMORY_KIB: '4096',
    // Every test signs in from 127.0.0.1: the per-address throttle would add up the whole run's failures.
    // test/e2e/auth-throttle.e2e-spec.ts sets a small limit of its own.
    AUTH_SOURCE_MAX_FAILURES: '100000',
  });
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl);
}
