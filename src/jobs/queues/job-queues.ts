import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DefaultJobOptions, Job, JobsOptions, Queue } from 'bullmq';
import { appConfig, AppConfig } from '../../../config/app.config';
import { withTimeout } from '../../health/health.service';
import { JOB_QUEUE_NAMES, JobName, JobQueueName } from '../job-names';
import { JobsRedis } from './jobs-redis';

/** Redis is down or not answering: the caller keeps what it wanted to send (the outbox does) or says 503. */
export class QueuesUnavailableError extends Error {
  constructor(cause?: unknown) {
    super(`the job queues (Redis) are unreachable${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'QueuesUnavailableError';
  }
}

/** How long a queue command may take before the caller gives up (Redis hung, not down). */
const COMMAND_TIMEOUT_MS = 3000;

/**
 * The options every job gets unless it says otherwise: BullModule.forRootAsync gives them to the queues, and
 * the schedulers and workers read them from {@link JobQueues.jobOptions}.
 */
export function defaultJobOptions(env: AppConfig): DefaultJobOptions {
  const { jobs } = env;
  return {
    attempts: jobs.attempts,
    backoff: { type: 'exponential', delay: jobs.backoffMs },
    // Completed jobs are kept a while so that an outbox event re-sent after a relay crash (same job id) is
    // recognised and not run twice; failed ones are kept for inspection.
    removeOnComplete: { count: jobs.keepCompletedJobs, age: 24 * 3600 },
    removeOnFail: { count: jobs.keepFailedJobs },
  };
}

export interface QueuedJob {
  name: JobName;
  data: object;
  opts?: JobsOptions;
}

/**
 * The producer side of the queues, in every role: the relay and wake-ups add jobs, the API runs sweeps on
 * demand and reads job states, the dashboard shows them. Every call fails fast while Redis is away.
 */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('JobQueues');
  private readonly queues = new Map<JobQueueName, Queue>();
  readonly jobOptions: DefaultJobOptions;

  /**
   * The queues are created by BullModule (forRootAsync in JobsModule: the JobsRedis producer connection,
   * QUEUE_PREFIX and {@link defaultJobOptions}; registerQueue for each name); this class only adds the
   * fail-fast calls on top.
   */
  constructor(
    private readonly redis: JobsRedis,
    @Inject(appConfig.KEY) env: AppConfig,
    @InjectQueue(JobQueueName.READINESS) readiness: Queue,
    @InjectQueue(JobQueueName.STORAGE_REVIEW) storageReview: Queue,
    @InjectQueue(JobQueueName.EXPIRY) expiry: Queue,
    @InjectQueue(JobQueueName.ENVIRONMENT) environment: Queue,
    @InjectQueue(JobQueueName.VIGILANCE) vigilance: Queue,
    @InjectQueue(JobQueueName.NOTIFICATIONS) notifications: Queue,
  ) {
    this.jobOptions = defaultJobOptions(env);
    const injected: Record<JobQueueName, Queue> = {
      [JobQueueName.READINESS]: readiness,
      [JobQueueName.STORAGE_REVIEW]: storageReview,
      [JobQueueName.EXPIRY]: expiry,
      [JobQueueName.ENVIRONMENT]: environment,
      [JobQueueName.VIGILANCE]: vigilance,
      [JobQueueName.NOTIFICATIONS]: notifications,
    };
    for (const name of JOB_QUEUE_NAMES) {
      const queue = injected[name];
      // Connection errors are reported once by JobsRedis; without a listener BullMQ prints each one.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
  }

  /** The BullMQ queue itself, for schedulers and the dashboard. */
  queue(name: JobQueueName): Queue {
    return this.queues.get(name) as Queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  isReady(): boolean {
    return this.redis.isReady();
  }

  /** Adds jobs; a job whose id exists already (in any state) is left as it is, so a re-send is a no-op. */
  async addBulk(name: JobQueueName, jobs: QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.command(() =>
      this.queue(name).addBulk(jobs.map((job) => ({ name: job.name, data: job.data, opts: job.opts }))),
    );
  }

  async add(name: JobQueueName, job: QueuedJob): Promise<string> {
    const added = await this.command(() => this.queue(name).add(job.name, job.data, job.opts));
    return added.id as string;
  }

  async find(name: JobQueueName, jobId: string): Promise<Job | undefined> {
    return this.command(() => this.queue(name).getJob(jobId));
  }

  /** The job's state, 'unknown' when there is no such job (any more). */
  async stateOf(name: JobQueueName, jobId: string): Promise<string> {
    return this.command(() => this.queue(name).getJobState(jobId));
  }

  async counts(name: JobQueueName): Promise<Record<string, number>> {
    return this.command(() =>
      this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'),
    );
  }

  /**
   * BullModule closes its queues on shutdown as well; Queue.close() is idempotent, and closing here keeps the
   * order of shutdown independent of which module Nest reaches first.
   */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.all().map((queue) =>
        queue.close().catch((error: unknown) => this.logger.debug(`closing ${queue.name}: ${String(error)}`)),
      ),
    );
  }

  private async command<T>(run: () => Promise<T>): Promise<T> {
    // BullMQ waits for a connection that is not ready; we would rather say so at once.
    if (!this.redis.isReady()) throw new QueuesUnavailableError();
    try {
      return await withTimeout(run(), COMMAND_TIMEOUT_MS);
    } catch (error) {
      throw new QueuesUnavailableError(error);
    }
  }
}
