import { ChildProcess, spawn } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import Redis from 'ioredis';

/**
 * A private `redis-server` on a free port, for tests that stop, restart or wipe Redis. Never touch the shared
 * Redis on 6379: other test files run their apps against it at the same time.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port, without persistence (a restart comes back empty), never evicting keys. */
  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort());
    await server.start();
    return server;
  }

  /** (Re)starts the server on its port; it comes back empty. */
  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = null;
    });
    await this.waitUntil(async () => (await this.ping()) === true, 'redis-server did not start');
  }

  /** Stops the server at once (SIGKILL: like a crash, nothing flushed); the port refuses connections until start(). */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.process = null;
  }

  /** FLUSHALL: every queue, job and scheduler gone, the server still up. */
  async flushAll(): Promise<void> {
    await this.withClient((redis) => redis.flushall());
  }

  /** Runs something against this server with a short-lived client. */
  async withClient<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await work(redis);
    } finally {
      redis.disconnect();
    }
  }

  private async ping(): Promise<boolean> {
    try {
      return (await this.withClient((redis) => redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  private async waitUntil(check: () => Promise<boolean>, message: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(message);
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
