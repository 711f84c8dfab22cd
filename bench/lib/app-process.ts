import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { APP_MAIN, ROOT, APP_PROBE_PRELOAD } from '../paths';
import type { ProbeAnswer, ProbeCommand } from './app-probe';

/** USER_HZ: the unit of /proc/<pid>/stat times (100 on every Linux of the last decades). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface AppSettings {
  databaseUrl: string;
  queuePrefix: string;
  /** The probe's command file (lib/app-probe.ts); its answers go to `<file>.out`. */
  probeFile: string;
}

/**
 * The node options of `npm start` (package.json's start script, e.g. its heap limit): the bench runs the app
 * with what production starts it with, read from the one place that says it.
 */
function productionNodeArgs(): string[] {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * The built application as production runs it (`npm start`: node with its options and dist/src/main.js), on the bench's database and queue
 * prefix, listening on 127.0.0.1 only. Scheduled sweeps are pushed out to a day so that only the sweeps the
 * harness starts run during the measurements.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private readonly output: string[] = [];
  readonly baseUrl: string;

  private constructor(
    readonly port: number,
    private readonly settings: AppSettings,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  static async start(settings: AppSettings): Promise<AppProcess> {
    const app = new AppProcess(await freePort(), settings);
    await app.spawn();
    return app;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error('the app is not running');
    return this.child.pid;
  }

  /** Resident set size of the app's process, in MiB (VmRSS of /proc/<pid>/status). */
  rssMiB(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      return kib ? Number(kib) / 1024 : null;
    } catch {
      return null;
    }
  }

  /**
   * CPU time the app's process has used (user + system), in seconds: divided by the requests of a load, the
   * app's own cost per request, which a busy shared machine disturbs far less than it disturbs throughput.
   */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  }

  alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the preloaded probe (lib/app-probe.ts) and waits for its answer. */
  async probe(command: ProbeCommand['command']): Promise<ProbeAnswer> {
    const id = randomBytes(6).toString('hex');
    const answerFile = `${this.settings.probeFile}.out`;
    rmSync(answerFile, { force: true });
    writeFileSync(this.settings.probeFile, JSON.stringify({ id, command } satisfies ProbeCommand));
    this.child?.kill('SIGWINCH');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (existsSync(answerFile)) {
        const answer = JSON.parse(readFileSync(answerFile, 'utf8')) as ProbeAnswer;
        if (answer.id === id) return answer;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the app's probe did not answer "${command}" (is ${APP_PROBE_PRELOAD} loaded?)`);
  }

  /** What the app holds after a full garbage collection (heap used + memory outside the heap), in MiB. */
  async liveMiB(): Promise<{ heapUsed: number; external: number; rss: number }> {
    const { memory } = await this.probe('gc');
    if (!memory) throw new Error('the probe answered without memory figures');
    return {
      heapUsed: memory.heapUsed / 2 ** 20,
      external: memory.external / 2 ** 20,
      rss: memory.rss / 2 ** 20,
    };
  }

  /** The last lines the app printed, for a failure report. */
  tail(lines = 30): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  private async spawn(): Promise<void> {
    if (!existsSync(APP_MAIN)) throw new Error(`${APP_MAIN} is missing: build first (npm run build)`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(this.port),
      DATABASE_URL: this.settings.databaseUrl,
      REDIS_URL: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: this.settings.queuePrefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
      JOBS_READINESS_SWEEP_SECONDS: '86400',
      JOBS_STORAGE_REVIEW_SWEEP_SECONDS: '86400',
      JOBS_EXPIRY_SWEEP_SECONDS: '86400',
      JOBS_ENVIRONMENT_SWEEP_SECONDS: '86400',
      // The relay wakes on NOTIFY; its fallback poll would only add noise to the measurements.
      JOBS_OUTBOX_POLL_MS: '60000',
      BENCH_PROBE_FILE: this.settings.probeFile,
    };
    // BENCH_APP_NODE_ARGS replaces npm start's node options, to measure another deployment setting (an empty
    // value: none, V8's default heap) or to profile (--cpu-prof).
    const override = process.env.BENCH_APP_NODE_ARGS;
    const nodeArgs = override === undefined ? productionNodeArgs() : override.split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, '--require', APP_PROBE_PRELOAD, APP_MAIN], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await this.waitHealthy(child);
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`the app exited (${child.exitCode}) while starting:\n${this.tail()}`);
      try {
        const response = await fetch(`${this.baseUrl}/health`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the app did not become healthy in 120 s:\n${this.tail()}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
