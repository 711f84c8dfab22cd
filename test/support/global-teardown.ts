import { Client } from 'pg';
import Redis from 'ioredis';
import { quoteIdentifier } from '../../src/database/ensure-database';

export default async function globalTeardown(): Promise<void> {
  const databaseUrl = new URL(process.env.DATABASE_URL as string);
  const name = decodeURIComponent(databaseUrl.pathname.slice(1));
  if (!name.startsWith('cpc_test_')) return;
  databaseUrl.pathname = '/postgres';
  const client = new Client({ connectionString: databaseUrl.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await dropQueueKeys(process.env.REDIS_URL as string, process.env.QUEUE_PREFIX as string);
}

/** Removes a run's (or a private database's) BullMQ keys from Redis. */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, {
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
  } catch {
    // Redis may be down on purpose in some tests' aftermath; the keys expire with the next FLUSH anyway.
  } finally {
    redis.disconnect();
  }
}
