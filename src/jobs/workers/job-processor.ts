import { Job, UnrecoverableError } from 'bullmq';
import { EvaluateJobData, FlagJobResult, JobName, JobQueueName } from '../job-names';

/** What the workers run for one queue: the flag processors below, and the notification and import jobs. */
export interface QueueProcessor {
  readonly queue: string;
  process(job: Job): Promise<unknown>;
}

/** The handlers of one queue, one per job name. */
export interface FlagRules {
  evaluateSubject(data: EvaluateJobData): Promise<FlagJobResult>;
  sweep(): Promise<FlagJobResult>;
}

/**
 * Runs one queue's jobs: EVALUATE re-derives a subject's flags, SWEEP the active set's. A job of another name
 * is a deployment mistake, not a transient failure, so it fails at once without retries.
 */
export abstract class JobProcessor implements QueueProcessor {
  abstract readonly queue: JobQueueName;
  protected abstract readonly rules: FlagRules;

  async process(job: Job): Promise<FlagJobResult> {
    switch (job.name as JobName) {
      case JobName.EVALUATE:
        return this.rules.evaluateSubject(job.data as EvaluateJobData);
      case JobName.SWEEP:
        return this.rules.sweep();
      default:
        throw new UnrecoverableError(`${this.queue} has no job named "${job.name}"`);
    }
  }
}
