import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { withTimeout } from '../health/health.service';
import { MetricsService } from '../metrics/metrics.service';
import { JOB_QUEUE_NAMES } from './job-names';
import { OutboxRepository } from './outbox/outbox.repository';
import { JobQueues } from './queues/job-queues';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/**
 * Job metrics on the process's Prometheus registry (`GET /metrics`): jobs finished and their durations
 * (recorded by the worker that ran them), jobs per queue and state, and the outbox backlog, read when
 * scraped. A scrape never waits on a Redis that is away: the queue gauges are then left out.
 */
@Injectable()
export class JobMetrics {
  readonly jobsFinished: Counter<'queue' | 'name' | 'outcome'>;
  readonly jobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  readonly outboxRelayed: Counter;
  readonly flagChanges: Counter<'type' | 'change'>;

  constructor(metrics: MetricsService, queues: JobQueues, outbox: OutboxRepository) {
    const registers = [metrics.registry];
    this.jobsFinished = new Counter({
      name: 'jobs_finished_total',
      help: 'Jobs finished by this process, by queue, job name and outcome (completed or failed)',
      labelNames: ['queue', 'name', 'outcome'] as const,
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'job_duration_seconds',
      help: 'Time this process spent running a job, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.outboxRelayed = new Counter({
      name: 'outbox_events_relayed_total',
      help: 'Outbox events this process moved into the job queues',
      registers,
    });
    this.flagChanges = new Counter({
      name: 'flag_changes_total',
      help: 'Flags raised, resolved or updated by the jobs of this process',
      labelNames: ['type', 'change'] as const,
      registers,
    });
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox events committed but not yet moved into the job queues',
      registers,
      async collect() {
        try {
          this.set(await withTimeout(outbox.backlog(), 2000));
        } catch {
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'job_queue_jobs',
      help: 'Jobs in each queue by state (left out while Redis is unreachable)',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        if (!queues.isReady()) return;
        await Promise.all(
          JOB_QUEUE_NAMES.map(async (queue) => {
            try {
              const counts = await queues.counts(queue);
              for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
            } catch {
              // Redis went away during the scrape; the next one will tell.
            }
          }),
        );
      },
    });
  }
}
