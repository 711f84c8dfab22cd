import * as argon2 from 'argon2';
import { Client } from 'pg';
import { canonicalJson } from '../../src/audit/canonical';
import { BenchConfig } from '../config';
import { readSteps, runSteps, StepTiming } from './sql-steps';

/** The password of every generated user (see data/10-people.sql). */
export const BENCH_PASSWORD = 'bench-password-not-secret';

/** What the generated record holds, as the scenarios need it. */
export interface GeneratedData {
  timings: StepTiming[];
  seconds: number;
  rows: Record<string, number>;
}

/** Tables the history fills with hundreds of thousands of rows: their secondary indexes are built after the load. */
const BULK_TABLES = [
  'donors',
  'donor_consents',
  'harvests',
  'batches',
  'batch_final_harvests',
  'batch_decisions',
  'doses',
  'flags',
  'storage_reviews',
  'cryopreservations',
  'vials',
  'vial_events',
  'material_usages',
  'audit_entries',
];

const COUNTED_TABLES = [
  'batches',
  'donors',
  'doses',
  'vials',
  'storage_units',
  'material_usages',
  'audit_entries',
  'flags',
  'temperature_readings',
];

/**
 * Fills a migrated database in SQL (bench/data/*.sql, generate_series), on `sessions` parallel sessions.
 * `withHistory` false gives the active set alone: the readiness sweep's small case.
 *
 * The load runs with `session_replication_role = replica`, which skips the foreign-key triggers (the data are
 * consistent by construction, and the constraints stay in the schema), and without the secondary indexes of
 * the big tables, which are then built from the data (sorting beats a million random insertions). The schema
 * ends exactly as the migrations made it: the indexes are recreated from their own definitions, and the
 * unique ones among them check the generated data as they are built.
 */
export async function generate(
  url: string,
  config: BenchConfig,
  withHistory: boolean,
  sessions = 3,
): Promise<GeneratedData> {
  const started = process.hrtime.bigint();
  const settings: Record<string, string> = {
    historical: String(config.scale.historical),
    active: String(config.scale.active),
    clinics: String(config.scale.clinics),
    audit_entries: String(config.scale.auditEntries),
    readings_tanks: String(config.scale.readingTanks),
    readings_months: String(config.scale.readingMonths),
    readings_history_minutes: String(config.scale.readingHistoryMinutes),
    fin: 'X9999',
    password_hash: await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id }),
  };
  const clients = await Promise.all(Array.from({ length: sessions }, () => openSession(url, settings)));
  const log = (timing: StepTiming): void =>
    console.log(`  ${timing.step.padEnd(42)} ${timing.seconds.toFixed(1).padStart(6)} s`);
  try {
    const [main] = clients;
    const timings = await runSteps(
      readSteps(['00-helpers.sql', '10-people.sql', '20-active.sql']),
      [main],
      log,
    );
    if (withHistory) {
      const indexes = await dropSecondaryIndexes(main, BULK_TABLES);
      timings.push(
        // The audit chain first: it is the longest chain of steps (plan, then the inserts), the rest fills around it.
        ...(await runSteps(
          readSteps([
            '60-audit.sql',
            '30-history.sql',
            '40-bank.sql',
            '50-materials.sql',
            '70-readings.sql',
            '80-vigilance.sql',
            '80-outcomes.sql',
          ]),
          clients,
          log,
        )),
      );
      timings.push(...(await runStatements('index', indexes, clients, log)));
    }
    await main.query('DROP SCHEMA bench CASCADE');
    const tables = (
      await main.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      )
    ).rows.map((row) => row.name);
    // Autovacuum may be off on a shared server, and the planner and index-only scans need what VACUUM leaves.
    timings.push(
      ...(await runStatements(
        'vacuum',
        tables.map((table) => `VACUUM (ANALYZE) "${table}"`),
        clients,
        log,
      )),
    );
    await checkCanonicalText(main);
    const rows: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      rows[table] = Number((await main.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    return { timings, seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

async function openSession(url: string, settings: Record<string, string>): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(`SET session_replication_role = replica`);
  await client.query(`SET synchronous_commit = off`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  for (const [name, value] of Object.entries(settings)) {
    await client.query(`SELECT set_config($1, $2, false)`, [`bench.${name}`, value]);
  }
  return client;
}

/**
 * Drops the indexes of `tables` that no constraint stands on (primary keys, unique constraints and what
 * foreign keys reference stay) and returns the statements that recreate them.
 */
async function dropSecondaryIndexes(client: Client, tables: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY pg_relation_size(i.indexrelid) DESC`,
    [tables],
  );
  for (const row of rows) await client.query(`DROP INDEX ${row.name}`);
  return rows.map((row) => row.definition);
}

async function runStatements(
  label: string,
  statements: readonly string[],
  clients: readonly Client[],
  log: (timing: StepTiming) => void,
): Promise<StepTiming[]> {
  const queue = [...statements];
  const timings: StepTiming[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client) => {
      for (let statement = queue.shift(); statement; statement = queue.shift()) await client.query(statement);
    }),
  );
  const timing = {
    step: `${label} (${statements.length} statements)`,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  timings.push(timing);
  log(timing);
  return timings;
}

/**
 * The generated trail must be what the application writes: canonical text exactly as src/audit/canonical.ts
 * builds it (verify itself only checks hashes). A sample across the trail is re-canonicalised and compared.
 */
async function checkCanonicalText(client: Client): Promise<void> {
  const { rows } = await client.query<{ seq: number; canonical: string }>(
    `SELECT seq, canonical FROM audit_entries
      WHERE seq IN (SELECT 1 + (n * (SELECT max(seq) FROM audit_entries) / 50) FROM generate_series(0, 49) AS n)
         OR seq IN (SELECT max(seq) FROM audit_entries)`,
  );
  for (const row of rows) {
    if (canonicalJson(JSON.parse(row.canonical)) !== row.canonical) {
      throw new Error(`generated audit entry ${row.seq} is not canonical text: ${row.canonical}`);
    }
  }
}
