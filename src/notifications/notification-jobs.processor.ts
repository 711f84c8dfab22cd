import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { Clock } from '../common/clock/clock';
import { DomainEvent } from '../common/events/domain-events';
import { EmailDeliveryService } from './email/email-delivery.service';
import { EmailRepository } from './email/email.repository';
import { NOTIFICATIONS_QUEUE, NotificationJob } from './notification-queue';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service';
import { WebhooksRepository } from './webhooks/webhooks.repository';

/** How many due deliveries one sweep takes, and how many it sends at once. */
const SWEEP_BATCH = 200;
const PARALLEL = 8;

export interface NotificationJobResult {
  attempted: number;
}

/**
 * The notification queue's jobs (run by the jobs module's workers): a flag's outbox event sends that flag's
 * deliveries at once, retry wake-ups send one delivery, and the sweep sends whatever is due, so deliveries
 * whose wake-up was lost (Redis restarted empty, a worker killed) still go out.
 */
@Injectable()
export class NotificationJobsProcessor {
  readonly queue = NOTIFICATIONS_QUEUE;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly emails: EmailRepository,
    private readonly webhookDelivery: WebhookDeliveryService,
    private readonly emailDelivery: EmailDeliveryService,
    private readonly clock: Clock,
  ) {}

  async process(job: Job): Promise<NotificationJobResult> {
    const data = job.data as { subjectId?: string; eventType?: string; id?: string };
    switch (job.name as NotificationJob) {
      case NotificationJob.EVALUATE:
        return this.evaluate(data.eventType ?? '', data.subjectId ?? '');
      case NotificationJob.SWEEP:
        return this.sweep();
      case NotificationJob.DELIVER_WEBHOOK:
        return { attempted: Number(await this.webhookDelivery.attempt(data.id ?? '')) };
      case NotificationJob.SEND_EMAIL:
        return { attempted: Number(await this.emailDelivery.attempt(data.id ?? '')) };
      default:
        throw new UnrecoverableError(`${this.queue} has no job named "${job.name}"`);
    }
  }

  private async evaluate(eventType: string, subjectId: string): Promise<NotificationJobResult> {
    if (eventType === String(DomainEvent.WEBHOOK_DELIVERY_RETRIED))
      return { attempted: Number(await this.webhookDelivery.attempt(subjectId)) };
    const now = this.clock.now();
    const [deliveries, emails] = await Promise.all([
      this.webhooks.dueIdsOfFlag(subjectId, now),
      this.emails.dueIdsOfFlag(subjectId, now),
    ]);
    return this.attemptAll(deliveries, emails);
  }

  private async sweep(): Promise<NotificationJobResult> {
    const now = this.clock.now();
    const [deliveries, emails] = await Promise.all([
      this.webhooks.dueIds(now, SWEEP_BATCH),
      this.emails.dueIds(now, SWEEP_BATCH),
    ]);
    return this.attemptAll(deliveries, emails);
  }

  private async attemptAll(deliveries: string[], emails: string[]): Promise<NotificationJobResult> {
    const work = [
      ...deliveries.map((id) => () => this.webhookDelivery.attempt(id)),
      ...emails.map((id) => () => this.emailDelivery.attempt(id)),
    ];
    let attempted = 0;
    for (let start = 0; start < work.length; start += PARALLEL) {
      const results = await Promise.all(work.slice(start, start + PARALLEL).map((run) => run()));
      attempted += results.filter(Boolean).length;
    }
    return { attempted };
  }
}
