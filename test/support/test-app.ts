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
 * or other settings.
 */
export function startTestApp(options: { clock?: Date; env?: Partial<Environment> } = {}): Promise<TestApp> {
  return launch(options.env ?? {}, options.clock);
}

export async function login(http: TestAgent, email: string, password: string): Promise<string> {
  let response = await http.post('/api/v1/auth/login').send({ email, password });
  // An attempt counts as a failure until its password is proven right (src/auth/credentials.service.ts), so
  // more parallel sign-ins to one account than the lock-out allows (the shared admin, from every test file at
  // once on a loaded machine) refuse the surplus with no lock set: those wait and try again.
  for (let retry = 0; retry < 50 && isSurplusAttempt(response); retry++) {
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    response = await http.post('/api/v1/auth/login').send({ email, password });
  }
  if (response.status !== 200)
    throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { accessToken: string }).accessToken;
}

function isSurplusAttempt(response: {
  status: number;
  body: { details?: { lockedUntil?: unknown } };
}): boolean {
  return response.status === 429 && response.body.details?.lockedUntil === null;
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
export function startTestAppWith(
  settings: Partial<Environment>,
  options: { clock?: Date } = {},
): Promise<TestApp> {
  return launch(settings, options.clock);
}

/** Apps started in this test file and not closed yet, and starts still under way. */
const openApps = new Set<TestApp>();
const starting = new Set<Promise<TestApp>>();

function launch(settings: Partial<Environment>, at: Date | undefined): Promise<TestApp> {
  const started = boot(settings, at);
  starting.add(started);
  return started.finally(() => starting.delete(started));
}

async function boot(settings: Partial<Environment>, at: Date | undefined): Promise<TestApp> {
  const env = { ...loadEnvironment(), ...settings };
  const clock = at ? new FixedClock(at) : null;
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
  const started: TestApp = {
    app,
    http: request(app.getHttpServer()),
    clock,
    sql,
    // Once, whoever asks first: the file's afterAll or closeLeftoverApps.
    close: () =>
      (closing ??= (async () => {
        openApps.delete(started);
        await sql.end();
        await app.close();
      })()),
  };
  let closing: Promise<void> | undefined;
  openApps.add(started);
  return started;
}

/**
 * Closes what a test file left running (test/support/close-leftover-apps.ts runs it after each file): an app
 * whose `beforeAll` outran its timeout is started after the file's `afterAll` gave up on it, and its pool and
 * timers would go on after Jest tore the file's modules down, crashing the worker that runs the next files.
 */
export async function closeLeftoverApps(): Promise<void> {
  await Promise.allSettled([...starting]);
  await Promise.allSettled([...openApps].map((leftover) => leftover.close()));
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
