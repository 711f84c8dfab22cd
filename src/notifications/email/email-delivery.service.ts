import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { appConfig, AppConfig } from '../../../config/app.config';
import { UsersService } from '../../auth/users.service';
import { Clock } from '../../common/clock/clock';
import { SYSTEM_ACTOR } from '../../common/transaction/actor';
import { Transactions } from '../../common/transaction/transactions.service';
import { afterAttempt } from '../domain/delivery-outcome';
import { AnnouncedFlag, recipientMaySee } from '../domain/flag-event';
import { retryPolicyOf } from '../domain/retry-schedule';
import { NotificationEventsRepository } from '../notification-events.repository';
import { NotificationJob, NotificationWakeUps } from '../notification-queue';
import { EmailRepository } from './email.repository';
import { describeSmtpFailure, Mailer } from './mailer';

/** An attempt holds its e-mail this long (nodemailer's connection, greeting and socket timeouts, and a margin). */
const LEASE_MS = 60_000;

/**
 * Sends one e-mail's next attempt through SMTP_URL, retried like a webhook delivery. Just before sending it
 * checks again that the recipient may see the flag (still active, same role and clinic): an e-mail queued
 * for someone deactivated since is withdrawn, not sent.
 */
@Injectable()
export class EmailDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('EmailDelivery');
  private readonly mailer: Mailer | null;

  constructor(
    private readonly email: EmailRepository,
    private readonly announced: NotificationEventsRepository,
    private readonly users: UsersService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly wakeUps: NotificationWakeUps,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {
    const { smtpUrl, smtpFrom } = env.notifications;
    this.mailer = smtpUrl ? new Mailer(smtpUrl, smtpFrom) : null;
  }

  onModuleDestroy(): void {
    this.mailer?.close();
  }

  async attempt(emailId: string): Promise<boolean> {
    if (!this.mailer) return false;
    const now = this.clock.now();
    const email = await this.email.claim(emailId, now, new Date(now.getTime() + LEASE_MS));
    if (!email) return false;
    const [event, [recipient]] = await Promise.all([
      this.announced.findById(email.eventId),
      this.users.contactsOf([email.userId]),
    ]);
    const flag = event ? (JSON.parse(event.body) as { data: AnnouncedFlag }).data : null;
    if (!flag || !recipient || !recipientMaySee(recipient, flag) || recipient.email !== email.recipient) {
      await this.transactions.run(SYSTEM_ACTOR, (tx) =>
        this.email.withdraw(emailId, 'the recipient may no longer see this flag', now, tx.manager),
      );
      return true;
    }
    let error: string | null = null;
    try {
      await this.mailer.send({
        to: email.recipient,
        subject: email.subject,
        text: email.body,
        messageId: `<${email.id}@cpc-tracker>`,
      });
    } catch (failure) {
      error = describeSmtpFailure(failure);
    }
    const update = afterAttempt(
      retryPolicyOf(this.env.notifications),
      email,
      { succeeded: error === null, responseStatus: null, error },
      this.clock.now(),
    );
    await this.transactions.run(SYSTEM_ACTOR, (tx) => this.email.record(emailId, update, tx.manager));
    if (error !== null) {
      this.logger.warn(`e-mail ${emailId} attempt ${update.attempts} failed (${error}); ${update.state}`);
      if (update.nextAttemptAt)
        await this.wakeUps.at(NotificationJob.SEND_EMAIL, emailId, update.attempts, update.nextAttemptAt);
    }
    return true;
  }
}
