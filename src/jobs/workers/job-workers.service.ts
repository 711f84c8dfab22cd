import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { hostname } from 'node:os';
import { appConfig, AppConfig } from '../../../config/app.config';
import { EnvironmentProcessor } from '../environment/environment.processor';
import { VigilanceProcessor } from '../vigilance/vigilance.processor';
import { ExpiryProcessor } from '../expiry/expiry.processor';
import { runsJobs } from '../job-names';
import { JobMetrics } from '../job-metrics';
import { JobQueues } from '../queues/job-queues';
import { JobsRedis } from '../queues/jobs-redis';
import { ReadinessProcessor } from '../readiness/readiness.processor';
import { StorageReviewProcessor } from '../storage-review/storage-review.processor';
import { NotificationJobsProcessor } from '../../notifications/notification-jobs.processor';
import { QueueProcessor } from './job-processor';

/**
 * One BullMQ worker per queue (worker role). A job's lock is renewed while it runs; a worker that dies loses
 * it after JOBS_LOCK_DURATION_MS and another worker runs the job again, which is harmless because every job
 * re-derives its flags from the record. Shutdown (SIGTERM, app.close()) waits for the jobs running here.
 *
 * The workers stay on bullmq's own Worker rather than @nestjs/bullmq's @Processor/WorkerHost: @nestjs/bullmq
 * starts a worker for every @Processor provider it finds, with the options given to the decorator (fixed at
 * import, so not JOBS_* from the validated config) and, by default, the queue's connection (the fail-fast
 * producer, which a worker's blocking commands cannot use). Starting them only for APP_ROLE worker/all, on
 * their own `maxRetriesPerRequest: null` connections, is plainer here.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobWorkers');
  private readonly workers: Worker[] = [];
  private readonly processors: QueueProcessor[];
  /** Shows in BullMQ's job records (processedBy) and in the dashboard: which process ran a job. */
  readonly workerName = `${hostname()}-${process.pid}`;

  constructor(
    readiness: ReadinessProcessor,
    storageReview: StorageReviewProcessor,
    expiry: ExpiryProcessor,
    environment: EnvironmentProcessor,
    vigilance: VigilanceProcessor,
    notifications: NotificationJobsProcessor,
    private readonly redis: JobsRedis,
    private readonly queues: JobQueues,
    private readonly metrics: JobMetrics,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {
    this.processors = [readiness, storageReview, expiry, environment, vigilance, notifications];
  }

  onApplicationBootstrap(): void {
    if (!runsJobs(this.env.appRole)) return;
    this.redis.whenReady(() => void this.redis.warnUnlessNoEviction());
    for (const processor of this.processors) this.workers.push(this.start(processor));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private start(processor: QueueProcessor): Worker {
    const { jobs } = this.env;
    const worker = new Worker(processor.queue, (job: Job) => this.run(processor, job), {
      connection: this.redis.workerConnection(`worker-${processor.queue}`),
      prefix: this.env.queuePrefix,
      name: this.workerName,
      concurrency: jobs.concurrency,
      lockDuration: jobs.lockDurationMs,
      stalledInterval: jobs.stalledIntervalMs,
      // A job whose worker died is run again; twice more is plenty before it is kept as failed for a look.
      maxStalledCount: 2,
      removeOnComplete: this.queues.jobOptions.removeOnComplete as { count: number; age: number },
      removeOnFail: this.queues.jobOptions.removeOnFail as { count: number },
    });
    // Redis outages are reported once by JobsRedis; the worker reconnects by itself.
    worker.on('error', (error: Error) => this.logger.debug(`${processor.queue} worker: ${error.message}`));
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn(
        `${processor.queue} job ${job.id} (${job.name}) failed${final ? ' for good, kept for inspection' : ', will retry'}: ${error.message}`,
      );
    });
    return worker;
  }

  private async run(processor: QueueProcessor, job: Job): Promise<unknown> {
    const stopTimer = this.metrics.jobDuration.startTimer({ queue: processor.queue, name: job.name });
    try {
      const result = await processor.process(job);
      stopTimer({ outcome: 'completed' });
      this.metrics.jobsFinished.inc({ queue: processor.queue, name: job.name, outcome: 'completed' });
      return result;
    } catch (error) {
      stopTimer({ outcome: 'failed' });
      this.metrics.jobsFinished.inc({ queue: processor.queue, name: job.name, outcome: 'failed' });
      throw error;
    }
  }
}
