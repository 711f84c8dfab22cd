import Redis, { Cluster, RedisOptions } from 'ioredis';
import type { AppConfig } from '../../../config/app.config';

/** A connection to the one Redis or to the cluster: the commands the app uses are the same on both. */
export type RedisClient = Redis | Cluster;

/**
 * Every Redis connection of the process is made here, so that REDIS_CLUSTER_NODES turns all of them (queues,
 * workers, the sign-in throttle, the health probe) into cluster clients at once. `options` are one node's
 * options; in a cluster they apply to each node's connection, and the offline queue is the cluster's own
 * setting. Without the cluster, the connection goes to REDIS_URL.
 */
export function createRedisClient(env: AppConfig, options: RedisOptions): RedisClient {
  if (env.redisClusterNodes === null) return new Redis(env.redisUrl, options);
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
  return new Cluster(env.redisClusterNodes, {
    lazyConnect,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : undefined,
    // A failover moves slots: follow MOVED/ASK and retry while the replica takes over.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    slotsRefreshTimeout: 2000,
    redisOptions: nodeOptions,
  });
}
