import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort } from './redis-server';

const run = promisify(execFile);

interface ClusterNode {
  port: number;
  process: ChildProcess | null;
}

/**
 * A private Redis Cluster of three masters, each with one replica (six `redis-server --cluster-enabled yes`
 * on free ports, in a folder of their own), for the tests of the deployment on a cluster. A node that stops
 * answering for a second is failed over to its replica.
 */
export class PrivateRedisCluster {
  private constructor(
    private readonly nodes: ClusterNode[],
    private readonly dir: string,
  ) {}

  /** The seed nodes, as REDIS_CLUSTER_NODES lists them. */
  get seeds(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  static async start(): Promise<PrivateRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'cpc-redis-cluster-'));
    const nodes: ClusterNode[] = [];
    for (let i = 0; i < 6; i++) nodes.push({ port: await freePort(), process: null });
    const cluster = new PrivateRedisCluster(nodes, dir);
    for (const node of nodes) cluster.spawn(node);
    await Promise.all(nodes.map((node) => cluster.waitUntil(() => cluster.answers(node.port), 'node start')));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await cluster.waitUntil(async () => {
      const states = await Promise.all(nodes.map((node) => cluster.info(node.port)));
      return states.every((info) => /cluster_state:ok/.test(info));
    }, 'cluster state ok on every node');
    return cluster;
  }

  /** The port of the master that serves `key`'s slot now. */
  async masterOf(key: string): Promise<number> {
    const port = this.livePorts()[0];
    return this.withNode(port, async (redis) => {
      const slot = Number(await redis.cluster('KEYSLOT', key));
      // CLUSTER SLOTS: [first slot, last slot, [host, port, id] of the master, ...replicas]
      const ranges = await redis.cluster('SLOTS');
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!owner || owner[2] === undefined) throw new Error(`no master serves slot ${slot}`);
      return owner[2][1];
    });
  }

  /** The keys matching `pattern` on one node. */
  keysOn(port: number, pattern: string): Promise<string[]> {
    return this.withNode(port, (redis) => redis.keys(pattern));
  }

  /** The keys matching `pattern` on every live master but `port`. */
  async keysElsewhere(port: number, pattern: string): Promise<string[]> {
    const found: string[] = [];
    for (const other of this.livePorts().filter((live) => live !== port)) {
      const role = await this.withNode(other, (redis) => redis.role());
      if (role[0] === 'master') found.push(...(await this.keysOn(other, pattern)));
    }
    return found;
  }

  /** SIGKILL of one node, like a crash: its replica takes over after the node timeout. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.port === port);
    const child = node?.process;
    if (!node || !child) throw new Error(`no running node on ${port}`);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    node.process = null;
  }

  /** Waits until another master serves `key`'s slot and the surviving nodes agree the cluster is whole. */
  async failedOver(key: string, from: number): Promise<number> {
    let master = from;
    await this.waitUntil(async () => {
      master = await this.masterOf(key).catch(() => from);
      if (master === from) return false;
      const states = await Promise.all(this.livePorts().map((port) => this.info(port)));
      return states.every((info) => /cluster_state:ok/.test(info));
    }, `failover away from ${from}`);
    return master;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.filter((node) => node.process).map((node) => this.kill(node.port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(node: ClusterNode): void {
    node.process = spawn(
      'redis-server',
      [
        '--port',
        String(node.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${node.port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
  }

  private livePorts(): number[] {
    return this.nodes.filter((node) => node.process).map((node) => node.port);
  }

  private async answers(port: number): Promise<boolean> {
    return (await this.withNode(port, (redis) => redis.ping()).catch(() => '')) === 'PONG';
  }

  private info(port: number): Promise<string> {
    return this.withNode(port, (redis) => redis.cluster('INFO')).catch(() => '');
  }

  /** One node by itself (not the cluster client): for CLUSTER commands about what that node sees. */
  private async withNode<T>(port: number, work: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(port, '127.0.0.1', {
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

  private async waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Redis Cluster: ${what} did not happen within 30 s`);
  }
}
