import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock/clock';
import { EvaluateJobData, JobName, JobQueueName } from '../job-names';
import { JobQueues } from './job-queues';

/** Wake-ups further ahead than this are left to the sweeps. */
const MAX_DELAY_MS = 31 * 24 * 3600 * 1000;

/**
 * Time-driven flags (a dose entering its last 6 hours, a batch's shelf life ending) are caught by the sweeps;
 * a wake-up is a delayed evaluation at the moment the condition changes, so the flag is on time between
 * sweeps. Best effort: the id is deterministic (one wake-up per subject and moment), and when Redis is away
 * or loses it, the next sweep does the work.
 */
@Injectable()
export class WakeUps {
  private readonly logger = new Logger('WakeUps');

  constructor(
    private readonly queues: JobQueues,
    private readonly clock: Clock,
  ) {}

  async at(
    queue: JobQueueName,
    subject: { subjectType: string; subjectId: string },
    moment: Date,
  ): Promise<void> {
    const delay = moment.getTime() - this.clock.now().getTime();
    if (delay <= 0 || delay > MAX_DELAY_MS) return;
    const data: EvaluateJobData = { subjectType: subject.subjectType, subjectId: subject.subjectId };
    try {
      await this.queues.add(queue, {
        name: JobName.EVALUATE,
        data,
        // One second late, so the evaluation is sure to see the moment as past.
        opts: {
          jobId: `wake-${subject.subjectType}-${subject.subjectId}-${moment.getTime()}`,
          delay: delay + 1000,
        },
      });
    } catch (error) {
      this.logger.debug(
        `wake-up for ${subject.subjectType} ${subject.subjectId} not queued: ${String(error)}`,
      );
    }
  }
}
