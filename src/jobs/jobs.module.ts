import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { EnvironmentModule } from '../environment/environment.module';
import { FlagsModule } from '../flags/flags.module';
import { EnvironmentFlagsService } from './environment/environment-flags.service';
import { EnvironmentProcessor } from './environment/environment.processor';
import { VigilanceModule } from '../vigilance/vigilance.module';
import { VigilanceFlagsService } from './vigilance/vigilance-flags.service';
import { VigilanceProcessor } from './vigilance/vigilance.processor';
import { NotificationsModule } from '../notifications/notifications.module';
import { BankModule } from '../bank/bank.module';
import { ImportsModule } from '../imports/imports.module';
import { QueueDashboard } from './dashboard/queue-dashboard';
import { DashboardAuth } from './dashboard/dashboard-auth';
import { ExpiryProcessor } from './expiry/expiry.processor';
import { ExpiryService } from './expiry/expiry.service';
import { JobMetrics } from './job-metrics';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { JOB_QUEUE_NAMES } from './job-names';
import { defaultJobOptions, JobQueues } from './queues/job-queues';
import { JobSchedulers } from './queues/job-schedulers.service';
import { JobsRedis } from './queues/jobs-redis';
import { JobsRedisModule } from './queues/jobs-redis.module';
import { WakeUps } from './queues/wake-ups';
import { ReadinessProcessor } from './readiness/readiness.processor';
import { ReadinessService } from './readiness/readiness.service';
import { StorageReviewProcessor } from './storage-review/storage-review.processor';
import { StorageReviewService } from './storage-review/storage-review.service';
import { JobWorkers } from './workers/job-workers.service';
import { OutcomesModule } from '../outcomes/outcomes.module';
import { ReadModelModule } from '../read-model/read-model.module';

/**
 * Background jobs on BullMQ: the outbox relay, the readiness, storage-review and expiry processors, their
 * sweeps, job control for admins and the queue dashboard. PostgreSQL holds the truth and Redis only the
 * queues. What runs depends on APP_ROLE, read at start: the producer side (on-demand runs, job states,
 * dashboard, metrics) runs everywhere; the relay, workers and schedulers only in `worker` and `all`.
 */
@Module({
  imports: [
    BankModule,
    FlagsModule,
    EnvironmentModule,
    VigilanceModule,
    NotificationsModule,
    OutcomesModule,
    ImportsModule,
    ReadModelModule,
    JobsRedisModule,
    // The queues (producer side) through @nestjs/bullmq. They share the JobsRedis producer connection, which
    // fails fast (no offline queue, one try per command): nothing on the HTTP path may wait on Redis.
    BullModule.forRootAsync({
      imports: [JobsRedisModule],
      inject: [JobsRedis, appConfig.KEY],
      useFactory: (redis: JobsRedis, env: AppConfig) => ({
        connection: redis.producer,
        prefix: env.queuePrefix,
        defaultJobOptions: defaultJobOptions(env),
      }),
    }),
    BullModule.registerQueue(...JOB_QUEUE_NAMES.map((name) => ({ name }))),
  ],
  controllers: [JobsController],
  providers: [
    JobQueues,
    WakeUps,
    JobMetrics,
    OutboxRepository,
    OutboxRelay,
    ReadinessService,
    ReadinessProcessor,
    ExpiryService,
    ExpiryProcessor,
    StorageReviewService,
    StorageReviewProcessor,
    EnvironmentFlagsService,
    EnvironmentProcessor,
    VigilanceFlagsService,
    VigilanceProcessor,
    JobWorkers,
    JobSchedulers,
    JobsService,
    DashboardAuth,
    QueueDashboard,
  ],
})
export class JobsModule {}
