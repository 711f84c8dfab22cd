import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisProbe } from './redis-probe';

export interface HealthReport {
  status: 'ok' | 'down';
  db: 'up' | 'down';
  redis: 'up' | 'down';
  outboxBacklog: number | null;
}

/** Redis being down delays jobs but stops nothing, so only PostgreSQL decides the status. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() private readonly redis?: RedisProbe,
  ) {}

  async report(): Promise<HealthReport> {
    const [backlog, redisUp] = await Promise.all([
      this.outboxBacklog(),
      this.redis?.ping() ?? Promise.resolve(false),
    ]);
    const dbUp = backlog !== null;
    return {
      status: dbUp ? 'ok' : 'down',
      db: dbUp ? 'up' : 'down',
      redis: redisUp ? 'up' : 'down',
      outboxBacklog: backlog,
    };
  }

  private async outboxBacklog(): Promise<number | null> {
    try {
      const rows = await withTimeout(
        this.db.query<{ backlog: number }[]>(
          'SELECT count(*) AS backlog FROM outbox_events WHERE sent_at IS NULL',
        ),
        2000,
      );
      return rows[0].backlog;
    } catch {
      return null;
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
