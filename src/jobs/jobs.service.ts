import { Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuthUser } from '../common/transaction/auth-user';
import { JobRunResultDto, JobRunStartedDto, JobRunState, JobRunViewDto } from './dto/job-run.dto';
import { isJobQueueName, JobName, JobQueueName, SweepJobData } from './job-names';
import { JobQueues, QueuesUnavailableError } from './queues/job-queues';

function unavailable(): DomainError {
  return new DomainError(
    ErrorCode.UNAVAILABLE,
    'The job queues (Redis) are unreachable; retry later. Records are safe: events wait in PostgreSQL and the sweeps run once Redis is back',
  );
}

function queueNamed(name: string): JobQueueName {
  if (!isJobQueueName(name)) throw notFound('Job', name);
  return name;
}

function runState(state: string): JobRunState {
  return state === 'active' || state === 'completed' || state === 'failed' ? state : 'waiting';
}

/** Job control for administrators: run a sweep now, and see how a run went. */
@Injectable()
export class JobsService {
  constructor(private readonly queues: JobQueues) {}

  /** Queues a sweep of `name` (readiness, storage-review, expiry) and answers its job id; 503 at once while Redis is down. */
  async runSweep(user: AuthUser, name: string): Promise<JobRunStartedDto> {
    const queue = queueNamed(name);
    const data: SweepJobData = { requestedBy: user.id };
    const jobId = await this.whileAvailable(() =>
      this.queues.add(queue, { name: JobName.SWEEP, data, opts: { jobId: `sweep-${randomUUID()}` } }),
    );
    return { jobId };
  }

  async run(name: string, jobId: string): Promise<JobRunViewDto> {
    const queue = queueNamed(name);
    // The state first, then the job: a job read after its state is at least as far along (a completed job
    // comes with its result).
    const state = await this.whileAvailable(() => this.queues.stateOf(queue, jobId));
    const job =
      state === 'unknown' ? undefined : await this.whileAvailable(() => this.queues.find(queue, jobId));
    if (!job) throw notFound('Job run', jobId);
    return view(queue, job, runState(state));
  }

  private async whileAvailable<T>(command: () => Promise<T>): Promise<T> {
    if (!this.queues.isReady()) throw unavailable();
    try {
      return await command();
    } catch (error) {
      if (error instanceof QueuesUnavailableError) throw unavailable();
      throw error;
    }
  }
}

function view(queue: JobQueueName, job: Job, state: JobRunState): JobRunViewDto {
  return {
    jobId: job.id as string,
    queue,
    name: job.name,
    state,
    ...(state === 'completed' ? { result: job.returnvalue as JobRunResultDto } : {}),
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    attemptsMade: job.attemptsMade,
    queuedAt: new Date(job.timestamp),
    startedAt: job.processedOn ? new Date(job.processedOn) : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}
