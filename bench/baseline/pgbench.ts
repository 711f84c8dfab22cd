import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from '../paths';

export const PGBENCH_SCRIPT = join(BENCH_DIR, 'baseline', 'cell-count.pgbench.sql');

/** pgbench processes still running, for the harness's clean-up on failure or ctrl-c. */
export const runningPgbench = new Set<ChildProcess>();

/** The id kind of active batches in the generators (bench/data/00-helpers.sql bench.id, 20-active.sql: 23). */
const ACTIVE_BATCH_KIND = (23).toString(16).padStart(4, '0');

export interface PgbenchRun {
  /** extended: parse/bind/execute of unnamed statements, as node-postgres sends them; prepared: named, planned once. */
  mode: 'extended' | 'prepared';
  tps: number;
  latencyAverageMs: number;
  transactions: number;
  failed: number;
}

export interface PgbenchOptions {
  databaseUrl: string;
  clients: number;
  seconds: number;
  mode: PgbenchRun['mode'];
  technicianId: string;
  activeBatches: number;
  /** The restricted role the app's sessions assume, so pgbench meets the same privileges (and costs). */
  appRole: string;
}

/** pgbench from PATH, or from PostgreSQL's own bin directory (Debian keeps it out of PATH). */
export function findPgbench(): string {
  if (process.env.BENCH_PGBENCH) return process.env.BENCH_PGBENCH;
  try {
    return execFileSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' }).trim();
  } catch {
    const root = '/usr/lib/postgresql';
    const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
    for (const version of versions) {
      const candidate = join(root, version, 'bin', 'pgbench');
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error('pgbench not found: install PostgreSQL client tools or set BENCH_PGBENCH');
}

/** Runs the cell-count transaction (baseline/cell-count.pgbench.sql) for `seconds` with `clients` sessions. */
export function runPgbench(options: PgbenchOptions): Promise<PgbenchRun> {
  const url = new URL(options.databaseUrl);
  if (!url.hostname.startsWith('127.') && url.hostname !== 'localhost')
    throw new Error('pgbench targets the local server only');
  const args = [
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    '-n',
    '-M',
    options.mode,
    '-c',
    String(options.clients),
    '-j',
    String(Math.min(options.clients, 2)),
    '-T',
    String(options.seconds),
    '-D',
    `technician=${options.technicianId}`,
    '-D',
    `active=${options.activeBatches}`,
    '-D',
    `batch_kind=${ACTIVE_BATCH_KIND}`,
    '-f',
    PGBENCH_SCRIPT,
    decodeURIComponent(url.pathname.slice(1)),
  ];
  const env = {
    ...process.env,
    PGOPTIONS: `-c role=${options.appRole}`,
    PGPASSWORD: decodeURIComponent(url.password),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(findPgbench(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    runningPgbench.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 60) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      runningPgbench.delete(child);
      const tps = /^tps = ([\d.]+) \(without initial connection time\)$/m.exec(output)?.[1];
      const latency = /^latency average = ([\d.]+) ms$/m.exec(output)?.[1];
      const transactions = /^number of transactions actually processed: (\d+)/m.exec(output)?.[1];
      const failed = /^number of failed transactions: (\d+)/m.exec(output)?.[1];
      if (code !== 0 || !tps || !latency || !transactions) {
        reject(new Error(`pgbench failed (exit ${code}):\n${output.split('\n').slice(-15).join('\n')}`));
        return;
      }
      resolve({
        mode: options.mode,
        tps: Number(tps),
        latencyAverageMs: Number(latency),
        transactions: Number(transactions),
        failed: Number(failed ?? 0),
      });
    });
  });
}

/** The SQL statements of the pgbench script, in order, without the meta-commands (for the fidelity check). */
export function pgbenchStatements(): string[] {
  const text = readFileSync(PGBENCH_SCRIPT, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('--') && !line.startsWith('\\set'))
    .join('\n');
  return text
    .split(/;\s*\n|\\gset[^\n]*\n/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
