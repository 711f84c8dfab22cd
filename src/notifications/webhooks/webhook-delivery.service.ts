import { Inject, Injectable, Logger } from '@nestjs/common';
import { appConfig, AppConfig } from '../../../config/app.config';
import { Clock } from '../../common/clock/clock';
import { SYSTEM_ACTOR } from '../../common/transaction/actor';
import { Transactions } from '../../common/transaction/transactions.service';
import { afterAttempt } from '../domain/delivery-outcome';
import { retryPolicyOf } from '../domain/retry-schedule';
import { openWebhookSecret, SealedSecretError, sealingKeyFrom, SealingKey } from '../domain/webhook-secret';
import { signWebhook } from '../domain/webhook-signature';
import { NotificationJob, NotificationWakeUps } from '../notification-queue';
import { isDelivered, sendWebhook, WEBHOOK_TIMEOUT_MS } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

/** An attempt holds its delivery this long: the timeout and a margin, so no second attempt overlaps it. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS + 5_000;

/**
 * Sends one delivery's next attempt (docs/notifications.md, "Delivery"): claims it, signs the stored body
 * with the webhook's secret at the attempt's time, POSTs it, and records the outcome with the next attempt's
 * time. The log line names the webhook and the delivery, never the secret, the signature or the URL's query.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('WebhookDelivery');
  private readonly sealing: SealingKey;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly wakeUps: NotificationWakeUps,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {
    this.sealing = sealingKeyFrom(env.notifications.webhookSecretKey);
  }

  /** True when an attempt was made (the delivery was due and free). */
  async attempt(deliveryId: string): Promise<boolean> {
    const now = this.clock.now();
    const claimed = await this.webhooks.claim(deliveryId, now, new Date(now.getTime() + LEASE_MS));
    if (!claimed) return false;
    const started = Date.now();
    const outcome = await this.send(
      claimed.webhookId,
      claimed.secretSealed,
      claimed.url,
      claimed.delivery.eventId,
      claimed.body,
      now,
    );
    const result = {
      succeeded: isDelivered(outcome),
      responseStatus: outcome.kind === 'ANSWERED' ? outcome.status : null,
      error: outcome.kind === 'NO_ANSWER' ? outcome.error : null,
    };
    const policy = retryPolicyOf(this.env.notifications);
    const update = afterAttempt(policy, claimed.delivery, result, this.clock.now());
    await this.transactions.run(SYSTEM_ACTOR, (tx) =>
      this.webhooks.recordAttempt(
        deliveryId,
        update,
        {
          attempt: update.attempts,
          attemptedAt: now,
          durationMs: Date.now() - started,
          responseStatus: result.responseStatus,
          error: result.error,
        },
        tx.manager,
      ),
    );
    if (!result.succeeded) {
      this.logger.warn(
        `webhook ${claimed.webhookId} delivery ${deliveryId} attempt ${update.attempts} failed (${update.lastError ?? 'no answer'}); ${update.state === 'FAILED' ? 'FAILED for good' : `next at ${update.nextAttemptAt?.toISOString()}`}`,
      );
    }
    if (update.nextAttemptAt)
      await this.wakeUps.at(
        NotificationJob.DELIVER_WEBHOOK,
        deliveryId,
        update.attempts,
        update.nextAttemptAt,
      );
    return true;
  }

  private async send(
    webhookId: string,
    secretSealed: string,
    url: string,
    eventId: string,
    body: string,
    at: Date,
  ): ReturnType<typeof sendWebhook> {
    let secret: string;
    try {
      secret = openWebhookSecret(secretSealed, webhookId, this.sealing);
    } catch (error) {
      if (error instanceof SealedSecretError)
        return { kind: 'NO_ANSWER', error: `not signed: ${error.message}` };
      throw error;
    }
    return sendWebhook(
      { url, headers: signWebhook(secret, eventId, at, body), body },
      { allowInsecure: this.env.notifications.webhookAllowInsecure },
    );
  }
}
