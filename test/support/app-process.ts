import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './flag-fixtures';
import { freePort } from './redis-server';

/**
 * The compiled app as production runs it (`node dist/src/main.js`), in a child process of its own: for tests
 * that kill a process (SIGKILL, mid-job) or run several of one deployment.
 */
const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** The newest modification time under the directories the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than the sources, so the children run this code. */
export function ensureBuilt(): void {
  const sources = Math.max(...['src', 'config', 'migrations'].map((dir) => newestSource(join(ROOT, dir))));
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= sources) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    // tsc emits despite type errors elsewhere in a tree being worked on; only a missing output is fatal.
    if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < sources) throw error;
  }
}

/** One `node dist/src/main.js` process of the deployment, in a role. */
export class AppProcess {
  readonly output: string[] = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly role: 'api' | 'worker' | 'all',
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(role: 'api' | 'worker' | 'all', env: NodeJS.ProcessEnv): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...env, APP_ROLE: role, PORT: String(port) },
      stdio: 'pipe',
    });
    const app = new AppProcess(role, port, child);
    await eventually(
      async () => {
        try {
          return (await request(app.url).get('/health')).status === 200;
        } catch {
          return false;
        }
      },
      30_000,
      `${role} process on ${port} (${app.output.join('').slice(-2000)})`,
    );
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The name its workers give BullMQ (JobWorkers.workerName): which process ran a job. */
  get workerName(): string {
    return `${hostname()}-${this.child.pid}`;
  }

  async metric(pattern: RegExp): Promise<number> {
    const text = (await request(this.url).get('/metrics')).text;
    return Number(pattern.exec(text)?.[1] ?? 0);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exitCode(): Promise<number | null> {
    return this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const deadline = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(deadline);
  }
}
