import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { appConfig, AppConfig } from '../../../config/app.config';
import { runsJobs } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { JobQueues } from '../queues/job-queues';
import { JobsRedis } from '../queues/jobs-redis';
import { jobsForEvents } from './event-routing';
import { OutboxListener } from './outbox-listener';
import { OutboxEventRow, OutboxRepository } from './outbox.repository';

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

/**
 * The transactional outbox relay (worker role): moves committed outbox events into the BullMQ queues and
 * marks them sent. PostgreSQL holds the truth; an event is marked sent only in the transaction that saw
 * Redis accept its jobs, so no committed event is lost whatever Redis does.
 *
 * It wakes on NOTIFY (sent by a trigger when an event's transaction commits), on a short poll in case a
 * notification was missed, and when Redis comes back. While Redis is away it backs off exponentially; the
 * API keeps accepting writes, and the backlog drains when Redis returns.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxRelay');
  private listener: OutboxListener | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = false;
  private backoffMs = 0;
  private retryAt = 0;
  private failing = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueues,
    private readonly redis: JobsRedis,
    private readonly metrics: JobMetrics,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsJobs(this.env.appRole)) return;
    this.redis.whenReady(() => {
      this.backoffMs = 0;
      this.retryAt = 0;
      this.wake();
    });
    this.listener = new OutboxListener(this.env.databaseUrl, () => this.wake());
    await this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.env.jobs.outboxPollMs);
    this.pollTimer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.listener?.stop();
    await this.draining;
  }

  /** Asks for a drain; coalesces with one running, and waits out the backoff after a failed send. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    if (Date.now() < this.retryAt) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Sends batches until the outbox is empty or a send fails. */
  private async drain(): Promise<void> {
    const limit = this.env.jobs.outboxBatchSize;
    try {
      for (;;) {
        if (this.stopped) return;
        const taken = await this.outbox.relayBatch(limit, (events) => this.send(events));
        if (taken > 0) this.metrics.outboxRelayed.inc(taken);
        if (taken < limit) break;
      }
      if (this.failing) this.logger.log('outbox relay is sending again');
      this.failing = false;
      this.backoffMs = 0;
    } catch (error) {
      this.backOff(error);
    }
  }

  private async send(events: OutboxEventRow[]): Promise<void> {
    for (const [queue, jobs] of jobsForEvents(events)) await this.queues.addBulk(queue, jobs);
  }

  private backOff(error: unknown): void {
    if (this.stopped) return;
    this.backoffMs = Math.min(Math.max(this.backoffMs * 2, MIN_BACKOFF_MS), MAX_BACKOFF_MS);
    this.retryAt = Date.now() + this.backoffMs;
    if (!this.failing) {
      this.logger.warn(
        `outbox relay paused (${error instanceof Error ? error.message : String(error)}); events wait in PostgreSQL`,
      );
    }
    this.failing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, this.backoffMs);
    this.retryTimer.unref();
  }
}
