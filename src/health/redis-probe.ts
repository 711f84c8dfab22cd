import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { createRedisClient, RedisClient } from '../common/redis/redis-client';

/**
 * A Redis connection for health checks only. It fails fast (no offline queue, one retry per request), so
 * a health probe never hangs while Redis is away.
 */
@Injectable()
export class RedisProbe implements OnModuleDestroy {
  private readonly client: RedisClient;

  constructor(@Inject(appConfig.KEY) env: AppConfig) {
    this.client = createRedisClient(env, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    this.client.on('error', () => undefined); // state is read through ping(); errors are expected while down
    this.client.connect().catch(() => undefined);
  }

  async ping(): Promise<boolean> {
    try {
      const answer = await Promise.race([
        this.client.ping(),
        new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1000)),
      ]);
      return answer === 'PONG';
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
