import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { appConfig, AppConfig } from '../../config/app.config';
import { createRedisClient, RedisClient } from '../common/redis/redis-client';

/**
 * Failed authentication per client address, across all accounts (docs/operations.md, "Security"): an
 * address that failed AUTH_SOURCE_MAX_FAILURES times within the window is refused (429) until the window
 * ends, before any password is hashed, so a flood costs the server nothing and cannot spray many accounts.
 *
 * rate-limiter-flexible keeps the counters in Redis, shared by every process. Each attempt takes a point
 * before its password is compared (atomically, so parallel guesses cannot overtake the count) and gives it
 * back when the password was right or the attempt was refused anyway: only failures are held against an
 * address, and successful sign-ins are never held back. While Redis is away, a per-process memory limiter
 * stands in (Redis being down is not an error).
 */
@Injectable()
export class SourceThrottle implements OnModuleDestroy {
  private readonly client: RedisClient;
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(appConfig.KEY) env: AppConfig) {
    this.client = createRedisClient(env, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 500, 5000),
    });
    this.client.on('error', () => undefined); // the memory limiter stands in; nothing to log per attempt
    this.client.connect().catch(() => undefined);
    const options = {
      keyPrefix: `${env.queuePrefix}:auth-source`,
      points: env.auth.sourceMaxFailures,
      duration: env.auth.windowMinutes * 60,
    };
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: this.client,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** Takes a point for an attempt from `address`; the moment the address may try again when none is left. */
  async admit(address: string): Promise<{ refusedUntil: Date } | null> {
    try {
      await this.limiter.consume(address);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { refusedUntil: new Date(Date.now() + rejection.msBeforeNext) };
      return null; // both stores failed: let the account's lock-out in PostgreSQL decide
    }
  }

  /** Gives back the attempt's point: it was no failure. */
  async giveBack(address: string): Promise<void> {
    await this.limiter.reward(address, 1).catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
