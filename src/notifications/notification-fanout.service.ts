import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { UsersService } from '../auth/users.service';
import { BatchesService } from '../batches/batches.service';
import { EventBus } from '../common/events/event-bus';
import { TransactionContext } from '../common/transaction/transactions.service';
import { DosesService } from '../doses/doses.service';
import { FlagChanged, FlagRaised, FlagResolved } from '../flags/events/flag-changed.event';
import { flagEmail } from './domain/flag-email';
import { AnnouncedFlag, FlagEvent, FlagEventType, recipientMaySee, webhookBody } from './domain/flag-event';
import { EmailRepository } from './email/email.repository';
import { NotificationEventsRepository } from './notification-events.repository';
import { WebhooksRepository } from './webhooks/webhooks.repository';

/**
 * When a flag is raised or resolved, records in the same transaction what will be sent: the announced event,
 * one delivery per webhook that receives it, one e-mail per user who asked for the flag type and may see the
 * flag (docs/notifications.md). Nothing is sent here; the jobs send after the commit (woken by the flag's
 * outbox row, or found by the sweep), so a crash or a Redis outage at any point loses no delivery.
 */
@Injectable()
export class NotificationFanout implements OnModuleInit {
  constructor(
    private readonly events: EventBus,
    private readonly announced: NotificationEventsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly email: EmailRepository,
    private readonly users: UsersService,
    private readonly batches: BatchesService,
    private readonly doses: DosesService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  onModuleInit(): void {
    const record = (tx: TransactionContext, event: FlagChanged) => this.record(tx, event);
    this.events.onEvent(FlagRaised, 'notifications.flag-raised', record);
    this.events.onEvent(FlagResolved, 'notifications.flag-resolved', record);
  }

  private async record(tx: TransactionContext, change: FlagChanged): Promise<void> {
    // The flag as GET /flags serialises it: dates as ISO strings, the same bytes in the body and the log.
    const flag = JSON.parse(JSON.stringify(change.flag)) as AnnouncedFlag;
    const type = change instanceof FlagRaised ? FlagEventType.RAISED : FlagEventType.RESOLVED;
    const event: FlagEvent = { type, occurredAt: change.at, flag };
    const eventId = randomUUID();
    await this.announced.insert(
      {
        id: eventId,
        type: event.type,
        flagId: flag.id,
        flagType: flag.type,
        clinicId: flag.clinicId,
        occurredAt: event.occurredAt,
        body: webhookBody(event),
        createdAt: tx.now,
      },
      tx.manager,
    );
    const receivers = await this.webhooks.receiversOf(flag.type, flag.clinicId, tx.manager);
    await this.webhooks.insertDeliveries(
      receivers.map((webhook) => ({
        id: randomUUID(),
        webhookId: webhook.id,
        eventId,
        nextAttemptAt: tx.now,
        windowOpenedAt: tx.now,
        createdAt: tx.now,
      })),
      tx.manager,
    );
    await this.recordEmails(tx, eventId, event);
  }

  /** E-mail only when SMTP is configured, and only to active users who may see the flag now. */
  private async recordEmails(tx: TransactionContext, eventId: string, event: FlagEvent): Promise<void> {
    const { notifications } = this.env;
    if (notifications.smtpUrl === null) return;
    const subscribers = await this.email.subscribersOf(event.flag.type, tx.manager);
    if (subscribers.length === 0) return;
    const recipients = (await this.users.contactsOf(subscribers, tx.manager)).filter((user) =>
      recipientMaySee(user, event.flag),
    );
    if (recipients.length === 0) return;
    const message = flagEmail(event, await this.namesOf(tx, event.flag), notifications.publicBaseUrl);
    await this.email.insertEmails(
      recipients.map((user) => ({
        id: randomUUID(),
        eventId,
        userId: user.id,
        recipient: user.email,
        subject: message.subject,
        body: message.text,
        nextAttemptAt: tx.now,
        windowOpenedAt: tx.now,
        createdAt: tx.now,
      })),
      tx.manager,
    );
  }

  private async namesOf(
    tx: TransactionContext,
    flag: AnnouncedFlag,
  ): Promise<{ din: string | null; doseLabel: string | null }> {
    const din = flag.batchId
      ? ((await this.batches.identityOf(flag.batchId, tx.manager))?.din ?? null)
      : null;
    const doseLabel = flag.doseId ? await this.doses.labelOf(flag.doseId, tx.manager) : null;
    return { din, doseLabel };
  }
}
