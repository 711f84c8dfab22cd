import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { appConfig, AppConfig } from '../../../config/app.config';
import { createRedisClient, RedisClient } from '../../common/redis/redis-client';

/** Reconnect quickly once Redis is back (ioredis' own default waits up to 20 s between attempts). */
function reconnectDelay(attempt: number): number {
  return Math.min(200 * attempt, 2000);
}

/**
 * The process's Redis connections for BullMQ.
 *
 * The producer connection (queues, on-demand runs, the relay) fails fast: no offline queue, one try per
 * command, a command timeout. Nothing on the HTTP path may wait on Redis (docs/operations.md, "Health": Redis being down
 * is not an error), and the relay must learn at once that a send failed so it keeps the outbox rows for later.
 *
 * Workers get their own connections from {@link workerConnection}: blocking commands need
 * `maxRetriesPerRequest: null`, and a worker simply waits for Redis to come back.
 */
@Injectable()
export class JobsRedis implements OnApplicationShutdown {
  private readonly logger = new Logger('JobsRedis');
  readonly producer: RedisClient;
  /** Cluster clients made for workers: BullMQ does not close a connection it was handed. */
  private readonly workerClients: RedisClient[] = [];
  private readonly readyListeners: (() => void)[] = [];
  private wasReady = false;
  private downSince: number | null = null;

  constructor(@Inject(appConfig.KEY) private readonly env: AppConfig) {
    this.producer = createRedisClient(env, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 5000,
      retryStrategy: reconnectDelay,
      connectionName: `${env.queuePrefix}:producer`,
    });
    this.producer.on('ready', () => this.handleReady());
    this.producer.on('error', (error: Error) => this.onError(error));
    this.producer.connect().catch(() => undefined); // retried by ioredis; state is read through isReady()
  }

  isReady(): boolean {
    return this.producer.status === 'ready';
  }

  /**
   * Calls `listener` now if Redis is reachable, and on every (re)connection. After an outage Redis may come
   * back empty (restarted without persistence, failed over, flushed): listeners re-create what lives only
   * there (job schedulers) and send what waited (the outbox backlog).
   */
  whenReady(listener: () => void): void {
    this.readyListeners.push(listener);
    if (this.isReady()) listener();
  }

  /**
   * The connection of a BullMQ worker: options from which BullMQ opens its main and blocking connections to
   * the one Redis, or, in a cluster, a cluster client that BullMQ duplicates for its blocking connection.
   */
  workerConnection(name: string): ConnectionOptions {
    const options = {
      maxRetriesPerRequest: null,
      retryStrategy: reconnectDelay,
      connectionName: `${this.env.queuePrefix}:${name}`,
    };
    if (this.env.redisClusterNodes === null) return { url: this.env.redisUrl, ...options };
    const client = createRedisClient(this.env, options);
    this.workerClients.push(client);
    return client;
  }

  /**
   * BullMQ needs a Redis that never evicts keys: with any other policy, a full Redis silently drops jobs.
   * Managed Redis services may refuse CONFIG; that is only worth a debug line.
   */
  async warnUnlessNoEviction(): Promise<void> {
    try {
      const answer = (await this.producer.config('GET', 'maxmemory-policy')) as string[];
      const policy = answer[1];
      if (policy !== undefined && policy !== 'noeviction') {
        this.logger.warn(
          `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or a full Redis may drop queued jobs ` +
            '(flags are still rebuilt from PostgreSQL by the next sweep)',
        );
      }
    } catch (error) {
      this.logger.debug(`could not read maxmemory-policy: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.producer.disconnect();
    for (const client of this.workerClients) client.disconnect();
  }

  private handleReady(): void {
    if (this.wasReady)
      this.logger.log('Redis is reachable again; re-creating job schedulers and draining the outbox');
    this.wasReady = true;
    this.downSince = null;
    for (const listener of this.readyListeners) listener();
  }

  private onError(error: Error): void {
    // ioredis repeats the same error on every reconnect attempt; one line per outage is enough.
    if (this.downSince === null) {
      this.downSince = Date.now();
      this.logger.warn(
        `Redis is unreachable (${error.message}); jobs wait, writes go on, the outbox keeps the events`,
      );
    }
  }
}
