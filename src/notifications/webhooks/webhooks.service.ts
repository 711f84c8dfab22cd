import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../../../config/app.config';
import { ClinicsService } from '../../auth/clinics.service';
import { notFound } from '../../common/errors/domain-error';
import { DomainEvent } from '../../common/events/domain-events';
import { createdAtCursor } from '../../common/pagination/created-at-cursor';
import { Page, toPage } from '../../common/pagination/pagination';
import { actorOf, AuthUser } from '../../common/transaction/auth-user';
import { Transactions } from '../../common/transaction/transactions.service';
import { validationFailed } from '../../common/validation/validation';
import { judgeResolved, judgeWebhookUrl } from '../domain/address-policy';
import {
  generateWebhookSecret,
  sealingKeyFrom,
  SealingKey,
  sealWebhookSecret,
} from '../domain/webhook-secret';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryListQuery,
  DeliveryViewDto,
  deliveryView,
  UpdateWebhookDto,
  WebhookViewDto,
  webhookView,
} from '../dto/webhook.dto';
import { systemResolver } from './guarded-lookup';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Webhooks for admins (docs/notifications.md): register (the secret answered once), list, change, read the
 * delivery log, retry a delivery. Every change is audited; the audit entry never holds the secret.
 */
@Injectable()
export class WebhooksService {
  private readonly sealing: SealingKey;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly clinics: ClinicsService,
    private readonly transactions: Transactions,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {
    this.sealing = sealingKeyFrom(env.notifications.webhookSecretKey);
  }

  /**
   * Checks, in order: the URL's form and scheme, and a literal address (400); the name's addresses once
   * resolved, all public unless WEBHOOK_ALLOW_INSECURE (400); the clinic (404).
   */
  async create(user: AuthUser, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.assertReachable(dto.url);
    if (dto.clinicId && !(await this.clinics.findById(dto.clinicId))) throw notFound('Clinic', dto.clinicId);
    const secret = generateWebhookSecret();
    const id = randomUUID();
    const webhook = await this.transactions.run(actorOf(user), async (tx) => {
      const created = await this.webhooks.insert(
        {
          id,
          url: dto.url,
          events: dto.events,
          clinicId: dto.clinicId ?? null,
          active: true,
          secretSealed: sealWebhookSecret(secret, id, this.sealing),
          createdBy: user.id,
          createdAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'webhook.created',
        entityType: 'webhook',
        entityId: id,
        after: webhookView(created),
      });
      return created;
    });
    return { ...webhookView(webhook), secret };
  }

  async list(query: DeliveryListQuery): Promise<Page<WebhookViewDto>> {
    const rows = await this.webhooks.list(query.limit + 1, createdAtCursor(query.cursor));
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.webhook.id],
      (row) => webhookView(row.webhook),
    );
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const before = await this.webhooks.lockById(id, tx.manager);
      if (!before) throw notFound('Webhook', id);
      const changes = {
        ...(dto.active !== undefined ? { active: dto.active } : {}),
        ...(dto.events !== undefined ? { events: dto.events } : {}),
      };
      const after = await this.webhooks.update(id, changes, tx.now, tx.manager);
      tx.audit({
        action: 'webhook.changed',
        entityType: 'webhook',
        entityId: id,
        before: webhookView(before),
        after: webhookView(after),
      });
      return webhookView(after);
    });
  }

  async deliveries(id: string, query: DeliveryListQuery): Promise<Page<DeliveryViewDto>> {
    if (!(await this.webhooks.findById(id))) throw notFound('Webhook', id);
    const rows = await this.webhooks.deliveries(id, query.limit + 1, createdAtCursor(query.cursor));
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], deliveryView);
  }

  /**
   * Sends a delivery again, whatever its state, with the same webhook-id and a fresh retry window; the
   * attempt is made by the jobs (202), woken by the outbox row written with the change.
   */
  async retry(user: AuthUser, webhookId: string, deliveryId: string): Promise<void> {
    await this.transactions.run(actorOf(user), async (tx) => {
      const before = await this.webhooks.lockDelivery(webhookId, deliveryId, tx.manager);
      if (!before) throw notFound('Delivery', deliveryId);
      const after = await this.webhooks.reopen(deliveryId, tx.now, tx.manager);
      tx.audit({
        action: 'webhook.delivery_retried',
        entityType: 'webhook_delivery',
        entityId: deliveryId,
        before: { state: before.state, attempts: before.attempts, nextAttemptAt: before.nextAttemptAt },
        after: { state: after.state, attempts: after.attempts, nextAttemptAt: after.nextAttemptAt },
      });
      tx.emit({
        type: DomainEvent.WEBHOOK_DELIVERY_RETRIED,
        subjectType: 'webhook_delivery',
        subjectId: deliveryId,
      });
    });
  }

  /** The registration-time SSRF check; deliveries check again on every attempt (webhook-sender.ts). */
  private async assertReachable(raw: string): Promise<void> {
    const rules = { allowInsecure: this.env.notifications.webhookAllowInsecure };
    const verdict = judgeWebhookUrl(raw, rules);
    if (!verdict.allowed) throw validationFailed([{ field: 'url', errors: [verdict.reason] }]);
    let addresses: string[];
    try {
      addresses = (await systemResolver(verdict.url.hostname.replace(/^\[|\]$/g, ''))).map(
        (entry) => entry.address,
      );
    } catch {
      throw validationFailed([{ field: 'url', errors: [`${verdict.url.hostname} does not resolve`] }]);
    }
    const resolved = judgeResolved(verdict.url, addresses, rules);
    if (!resolved.allowed) throw validationFailed([{ field: 'url', errors: [resolved.reason] }]);
  }
}
