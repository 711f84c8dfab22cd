import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';

/**
 * The queue of the notification jobs, and of its job names. The jobs module registers the queue under this
 * name (JobQueueName.NOTIFICATIONS), relays the flag events' outbox rows to it and runs its worker; this module
 * only adds retry wake-ups to it.
 */
export const NOTIFICATIONS_QUEUE = 'notifications';

export enum NotificationJob {
  /** An outbox event: a flag changed (send its event's deliveries), or an admin asked for a retry. */
  EVALUATE = 'evaluate',
  /** Every delivery and e-mail that is due (scheduled): what a lost wake-up left behind. */
  SWEEP = 'sweep',
  /** One webhook delivery's next attempt. */
  DELIVER_WEBHOOK = 'deliver-webhook',
  /** One e-mail's next attempt. */
  SEND_EMAIL = 'send-email',
}

/**
 * Wake-ups for retries: a delayed job at the next attempt's time, with an id per attempt so a repeat adds
 * nothing. Best effort: when Redis is away the sweep finds the delivery once it is due.
 */
@Injectable()
export class NotificationWakeUps {
  private readonly logger = new Logger('NotificationWakeUps');

  constructor(@InjectQueue(NOTIFICATIONS_QUEUE) private readonly queue: Queue) {
    queue.on('error', () => undefined);
  }

  async at(
    job: NotificationJob.DELIVER_WEBHOOK | NotificationJob.SEND_EMAIL,
    id: string,
    attempt: number,
    at: Date,
  ): Promise<void> {
    try {
      await this.queue.add(
        job,
        { id },
        { jobId: `${job}-${id}-${attempt}`, delay: Math.max(at.getTime() - Date.now(), 0), attempts: 1 },
      );
    } catch (error) {
      this.logger.debug(`${job} ${id} wake-up not queued: ${String(error)}`);
    }
  }
}
