import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { appConfig } from '../../config/app.config';
import { Environment, loadEnvironment } from '../../config/environment';
import { AppModule } from '../../src/app.module';
import { Clock, FixedClock } from '../../src/common/clock/clock';
import { configureHttpApp, createFastifyAdapter } from '../../src/http-app';
import { dropQueueKeys } from './global-teardown';
import { TEST_ADMIN } from './test-env';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  clock: FixedClock | null;
  /** A superuser connection to the run's database, for checks and tampering behind the app's back. */
  sql: Client;
  close(): Promise<void>;
}

/**
 * The real application (real PostgreSQL, real Redis) on the run's database; optionally with a fixed clock
 * or other settings (e.g. another database URL).
 */
export async function startTestApp(
  options: { clock?: Date; env?: Partial<Environment> } = {},
): Promise<TestApp> {
  const clock = options.clock ? new FixedClock(options.clock) : null;
  let builder = Test.createTestingModule({ imports: [AppModule] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  if (options.env)
    builder = builder.overrideProvider(appConfig.KEY).useValue({ ...loadEnvironment(), ...options.env });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    bufferLogs: true,
  });
  configureHttpApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const sql = new Client({ connectionString: process.env.DATABASE_URL });
  sql.on('error', () => undefined);
  await sql.connect();
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    sql,
    async close() {
      await sql.end();
      await app.close();
    },
  };
}

export async function login(http: TestAgent, email: string, password: string): Promise<string> {
  const response = await http.post('/api/v1/auth/login').send({ email, password });
  if (response.status !== 200)
    throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { accessToken: string }).accessToken;
}

export function loginAsAdmin(http: TestAgent): Promise<string> {
  return login(http, TEST_ADMIN.email, TEST_ADMIN.password);
}

let counter = 0;
/** A unique suffix for emails, codes and labels, so test files can share the run's database. */
export function unique(prefix = ''): string {
  counter += 1;
  return `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}${counter}`.toUpperCase();
}

/**
 * Like `startTestApp({ env })`, but its `sql` connects to the database the settings name: for tests on a
 * database of their own, see {@link aPrivateDatabase}.
 */
export async function startTestAppWith(
  settings: Partial<Environment>,
  options: { clock?: Date } = {},
): Promise<TestApp> {
  const env = { ...loadEnvironment(), ...settings };
  const clock = options.clock ? new FixedClock(options.clock) : null;
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(appConfig.KEY)
    .useValue(env);
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
    bufferLogs: true,
  });
  configureHttpApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const sql = new Client({ connectionString: env.databaseUrl });
  sql.on('error', () => undefined);
  await sql.connect();
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    sql,
    async close() {
      await sql.end();
      await app.close();
    },
  };
}

export interface PrivateDatabase {
  /** Settings for {@link startTestAppWith}: this database, and a queue prefix of its own so its workers never take the run's jobs. */
  settings: { databaseUrl: string; queuePrefix: string };
  drop(): Promise<void>;
}

/**
 * A freshly migrated database of its own, with no users, for tests that need an empty users table, a clock
 * moved far from now, or a known set of admins, which the run's shared database cannot give.
 */
export async function aPrivateDatabase(): Promise<PrivateDatabase> {
  const { randomBytes } = await import('node:crypto');
  const { ensureDatabaseExists, quoteIdentifier } = await import('../../src/database/ensure-database');
  const { runMigrations } = await import('../../src/database/migrate');
  const runUrl = process.env.DATABASE_URL as string;
  const name = `cpc_private_${randomBytes(6).toString('hex')}`;
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  await ensureDatabaseExists(url.toString());
  await runMigrations(url.toString());
  const queuePrefix = `${process.env.QUEUE_PREFIX ?? 'cpc_test'}_${randomBytes(4).toString('hex')}`;
  return {
    settings: { databaseUrl: url.toString(), queuePrefix },
    async drop() {
      const client = new Client({ connectionString: runUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      await dropQueueKeys(process.env.REDIS_URL as string, queuePrefix);
    },
  };
}
