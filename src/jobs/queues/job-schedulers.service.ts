import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { appConfig, AppConfig } from '../../../config/app.config';
import { JobName, JobQueueName, runsJobs, SweepJobData } from '../job-names';
import { JobQueues } from './job-queues';
import { JobsRedis } from './jobs-redis';

/** Deterministic scheduler ids: every worker upserts the same ones, so a tick exists once however many run. */
export function sweepSchedulerId(queue: JobQueueName): string {
  return `${queue}-sweep`;
}

/** How often a worker checks that the schedulers still exist (Redis flushed or failed over without a reconnect). */
const CHECK_INTERVAL_MS = 30_000;

/**
 * The periodic sweeps as BullMQ job schedulers (worker role): readiness every minute, storage review and
 * expiry hourly (JOBS_*_SWEEP_SECONDS). BullMQ makes one job per tick, with an id derived from the scheduler
 * and the tick, so N workers run each tick once. Schedulers live only in Redis: workers upsert them at start
 * and again whenever Redis comes back (it may come back empty); an upsert of an existing scheduler with the
 * same interval keeps its next tick, so this never doubles ticks. A slow check also catches a Redis wiped
 * without a reconnect.
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobSchedulers');
  private checkTimer: NodeJS.Timeout | null = null;
  private upserting: Promise<void> | null = null;

  constructor(
    private readonly queues: JobQueues,
    private readonly redis: JobsRedis,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsJobs(this.env.appRole)) return;
    this.redis.whenReady(() => void this.upsertAll());
    this.checkTimer = setInterval(() => void this.upsertMissing(), CHECK_INTERVAL_MS);
    this.checkTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.checkTimer) clearInterval(this.checkTimer);
    await this.upserting;
  }

  /** The sweep intervals, by queue. */
  everyMs(): Record<JobQueueName, number> {
    const { jobs, notifications } = this.env;
    return {
      [JobQueueName.READINESS]: jobs.readinessSweepSeconds * 1000,
      [JobQueueName.STORAGE_REVIEW]: jobs.storageReviewSweepSeconds * 1000,
      [JobQueueName.EXPIRY]: jobs.expirySweepSeconds * 1000,
      [JobQueueName.ENVIRONMENT]: jobs.environmentSweepSeconds * 1000,
      [JobQueueName.VIGILANCE]: jobs.vigilanceSweepSeconds * 1000,
      // Due deliveries whose wake-up was lost (Redis restarted empty, a worker killed mid-attempt).
      [JobQueueName.NOTIFICATIONS]: notifications.deliverySweepSeconds * 1000,
    };
  }

  async upsertAll(): Promise<void> {
    this.upserting ??= this.upsert(() => Promise.resolve(true)).finally(() => {
      this.upserting = null;
    });
    await this.upserting;
  }

  private async upsertMissing(): Promise<void> {
    if (this.upserting || !this.queues.isReady()) return;
    this.upserting = this.upsert(
      async (queue) => !(await this.queues.queue(queue).getJobScheduler(sweepSchedulerId(queue))),
    ).finally(() => {
      this.upserting = null;
    });
    await this.upserting;
  }

  private async upsert(needed: (queue: JobQueueName) => Promise<boolean>): Promise<void> {
    const data: SweepJobData = {};
    for (const [queue, every] of Object.entries(this.everyMs()) as [JobQueueName, number][]) {
      try {
        if (!(await needed(queue))) continue;
        await this.queues
          .queue(queue)
          .upsertJobScheduler(
            sweepSchedulerId(queue),
            { every },
            { name: JobName.SWEEP, data, opts: this.queues.jobOptions },
          );
      } catch (error) {
        // Redis went away again; the next reconnection or check upserts it.
        this.logger.debug(`scheduler ${sweepSchedulerId(queue)} not upserted: ${String(error)}`);
      }
    }
  }
}
