import Redis from 'ioredis';

/** Removes the run's BullMQ keys (QUEUE_PREFIX:*) from the shared Redis, as the e2e teardown does. */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
