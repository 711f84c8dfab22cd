import { AppRole } from '../../config/environment';

/**
 * The job queues, one per processor, under QUEUE_PREFIX. Their names are also the `:name` of
 * `POST /jobs/:name/run` (docs/operations.md, "Queues and jobs"), so they never change once published.
 */
export enum JobQueueName {
  READINESS = 'readiness',
  STORAGE_REVIEW = 'storage-review',
  EXPIRY = 'expiry',
  /** Excursions, calibrations due, environmental action results (docs/environment.md). */
  ENVIRONMENT = 'environment',
  /** Adverse events' report-due flags (docs/vigilance.md). */
  VIGILANCE = 'vigilance',
  /** Webhook deliveries and e-mail (src/notifications; NOTIFICATIONS_QUEUE there). */
  NOTIFICATIONS = 'notifications',
}

export const JOB_QUEUE_NAMES: readonly JobQueueName[] = Object.values(JobQueueName);

/** The flag processors, whose sweeps an admin may run and inspect (POST /jobs/:name/run). */
export const SWEEP_QUEUE_NAMES: readonly JobQueueName[] = [
  JobQueueName.READINESS,
  JobQueueName.STORAGE_REVIEW,
  JobQueueName.EXPIRY,
  JobQueueName.ENVIRONMENT,
  JobQueueName.VIGILANCE,
];

export function isJobQueueName(name: string): name is JobQueueName {
  return (SWEEP_QUEUE_NAMES as readonly string[]).includes(name);
}

/** One handler per job name in each queue. */
export enum JobName {
  /** Re-derive the flags of one subject (an outbox event's, or a wake-up at a due time). */
  EVALUATE = 'evaluate',
  /** Re-derive every flag of the queue's active set (scheduled, or run on demand). */
  SWEEP = 'sweep',
}

/** What an EVALUATE job is about: the subject of the domain event (batch, dose, QC result, review, donor ...). */
export interface EvaluateJobData {
  subjectType: string;
  subjectId: string;
  /** The outbox event that caused it, when there is one (for tracing). */
  eventId?: number;
  eventType?: string;
  /** The batch, when the event's payload names it (a fallback for subjects the processor cannot place). */
  batchId?: string;
}

export interface SweepJobData {
  /** Who asked, for a sweep run on demand. */
  requestedBy?: string;
}

/** What a processor reports; kept on the job (GET /jobs/:name/runs/:jobId). */
export interface FlagJobResult {
  evaluated: number;
  raised: number;
  resolved: number;
  updated: number;
  /** Set when the job had nothing to work on, and why (e.g. an event about a subject that is gone). */
  skipped?: string;
}

/**
 * APP_ROLE composition: `api` serves HTTP only (producers for on-demand runs and the dashboard, no workers,
 * no relay, no schedulers); `worker` runs the jobs only; `all` does both.
 */
export function runsJobs(role: AppRole): boolean {
  return role !== 'api';
}
