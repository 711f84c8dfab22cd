import { randomBytes } from 'node:crypto';
import { Client, ClientConfig } from 'pg';
import { quoteIdentifier } from '../../src/database/ensure-database';

/** The local server the harness creates its databases on (a superuser: it creates roles, drops databases). */
export const SERVER_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh name per run, so parallel runs and leftovers of a killed run never meet. */
export function freshDatabaseName(purpose: string): string {
  return `cpc_bench_${purpose}_${randomBytes(4).toString('hex')}`;
}

export async function withClient<T>(
  url: string,
  work: (client: Client) => Promise<T>,
  config: ClientConfig = {},
): Promise<T> {
  const client = new Client({ connectionString: url, ...config });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<void> {
  await withClient(SERVER_URL, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
}

/** Drops the database even while sessions (the app, a stuck pgbench) hold it. */
export async function dropDatabase(name: string): Promise<void> {
  await withClient(SERVER_URL, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}

/** One row of a read, typed by the caller. */
export async function queryRows<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, parameters)).rows as T[]);
}
