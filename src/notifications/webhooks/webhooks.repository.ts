import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../../common/pagination/created-at-cursor';
import { DeliveryUpdate } from '../domain/delivery-outcome';
import { FlagEventType } from '../domain/flag-event';
import { WebhookDeliveryAttemptEntity, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

export type NewWebhook = Omit<WebhookEntity, 'updatedAt'>;

export interface ListedWebhook {
  webhook: WebhookEntity;
  cursorAt: string;
}

/** A delivery as the log shows it: with its event's type. */
export interface DeliveryLogRow extends WebhookDeliveryEntity {
  type: FlagEventType;
  cursorAt: string;
}

/** What an attempt needs, read when the attempt claims the delivery. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryEntity;
  url: string;
  webhookId: string;
  secretSealed: string;
  body: string;
}

const DELIVERY_COLUMNS = `d.id, d.webhook_id AS "webhookId", d.event_id AS "eventId", d.state, d.attempts,
  d.response_status AS "responseStatus", d.last_error AS "lastError", d.last_attempt_at AS "lastAttemptAt",
  d.next_attempt_at AS "nextAttemptAt", d.window_opened_at AS "windowOpenedAt", d.leased_until AS "leasedUntil",
  d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** Deliveries due now: pending, their time come, not held by an attempt in flight, of an active webhook. */
const DUE = `d.state = 'PENDING' AND d.next_attempt_at <= $1 AND (d.leased_until IS NULL OR d.leased_until < $1) AND w.active`;

/** The `webhooks`, `webhook_deliveries` and `webhook_delivery_attempts` tables. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(webhook: NewWebhook, manager: EntityManager): Promise<WebhookEntity> {
    await manager.insert(WebhookEntity, { ...webhook, updatedAt: webhook.createdAt });
    return manager.findOneByOrFail(WebhookEntity, { id: webhook.id });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<WebhookEntity | null> {
    return manager.findOneBy(WebhookEntity, { id });
  }

  lockById(id: string, manager: EntityManager): Promise<WebhookEntity | null> {
    return manager.findOne(WebhookEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(
    id: string,
    changes: Partial<Pick<WebhookEntity, 'active' | 'events'>>,
    at: Date,
    manager: EntityManager,
  ): Promise<WebhookEntity> {
    await manager.update(WebhookEntity, { id }, { ...changes, updatedAt: at });
    return manager.findOneByOrFail(WebhookEntity, { id });
  }

  /** Newest first; `after` is the previous page's last key. */
  async list(limit: number, after: [string, string] | null): Promise<ListedWebhook[]> {
    const rows = await this.db
      .createQueryBuilder(WebhookEntity, 'w')
      .addSelect(CREATED_AT_CURSOR_EXPRESSION, 'cursorAt')
      .where(after ? '(w.created_at, w.id) < (:at::timestamptz, :id::uuid)' : 'true', {
        at: after?.[0],
        id: after?.[1],
      })
      .orderBy('w.created_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ cursorAt: string }>();
    return rows.entities.map((webhook, i) => ({ webhook, cursorAt: rows.raw[i].cursorAt }));
  }

  /** The active webhooks that receive a flag of this type and clinic (docs/notifications.md, "Who receives what"). */
  async receiversOf(
    flagType: string,
    clinicId: string | null,
    manager: EntityManager,
  ): Promise<WebhookEntity[]> {
    return manager
      .createQueryBuilder(WebhookEntity, 'w')
      .where('w.active')
      .andWhere(`('*' = ANY (w.events) OR :flagType = ANY (w.events))`, { flagType })
      .andWhere('(w.clinic_id IS NULL OR w.clinic_id = :clinicId)', { clinicId })
      .getMany();
  }

  async insertDeliveries(
    deliveries: readonly Pick<
      WebhookDeliveryEntity,
      'id' | 'webhookId' | 'eventId' | 'nextAttemptAt' | 'windowOpenedAt' | 'createdAt'
    >[],
    manager: EntityManager,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(WebhookDeliveryEntity)
      .values(deliveries.map((d) => ({ ...d, state: 'PENDING' as const, attempts: 0 })))
      .orIgnore()
      .execute();
  }

  /**
   * Takes a due delivery for one attempt: it is held until `leaseUntil`, so a second worker (or a sweep) does
   * not send it at the same time, and a worker that dies mid-attempt lets it go when the lease runs out.
   * Null when it is not due, or is held, or its webhook is inactive.
   */
  async claim(deliveryId: string, now: Date, leaseUntil: Date): Promise<ClaimedDelivery | null> {
    const rows = await this.db.query<
      (WebhookDeliveryEntity & { url: string; secretSealed: string; body: string })[]
    >(
      `WITH claimed AS (
         UPDATE webhook_deliveries d SET leased_until = $2
           FROM webhooks w
          WHERE d.id = $3 AND w.id = d.webhook_id AND ${DUE}
         RETURNING d.*
       )
       SELECT ${DELIVERY_COLUMNS}, w.url, w.secret_sealed AS "secretSealed", e.body
         FROM claimed d JOIN webhooks w ON w.id = d.webhook_id JOIN notification_events e ON e.id = d.event_id`,
      [now, leaseUntil, deliveryId],
    );
    const row = rows[0];
    if (!row) return null;
    const { url, secretSealed, body, ...delivery } = row;
    return { delivery, url, webhookId: delivery.webhookId, secretSealed, body };
  }

  /** Records one attempt and what it made of the delivery, and lets the delivery go. */
  async recordAttempt(
    deliveryId: string,
    update: DeliveryUpdate,
    attempt: Omit<WebhookDeliveryAttemptEntity, 'id' | 'deliveryId'>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.insert(WebhookDeliveryAttemptEntity, { ...attempt, deliveryId });
    await manager.update(
      WebhookDeliveryEntity,
      { id: deliveryId },
      {
        state: update.state,
        attempts: update.attempts,
        responseStatus: update.responseStatus,
        lastError: update.lastError,
        lastAttemptAt: update.lastAttemptAt,
        nextAttemptAt: update.nextAttemptAt,
        deliveredAt: update.deliveredAt,
        leasedUntil: null,
      },
    );
  }

  /** Due deliveries, oldest due first (served by webhook_deliveries_due). */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE ${DUE} ORDER BY d.next_attempt_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The due deliveries of one flag's events (woken by the flag's outbox row). */
  async dueIdsOfFlag(flagId: string, now: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         JOIN notification_events e ON e.id = d.event_id
        WHERE e.flag_id = $2 AND ${DUE}`,
      [now, flagId],
    );
    return rows.map((row) => row.id);
  }

  /** A webhook's delivery log, newest first. */
  async deliveries(
    webhookId: string,
    limit: number,
    after: [string, string] | null,
  ): Promise<DeliveryLogRow[]> {
    return this.db.query<DeliveryLogRow[]>(
      `SELECT ${DELIVERY_COLUMNS}, e.type,
              to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
         FROM webhook_deliveries d JOIN notification_events e ON e.id = d.event_id
        WHERE d.webhook_id = $1
          AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $4`,
      [webhookId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  lockDelivery(
    webhookId: string,
    deliveryId: string,
    manager: EntityManager,
  ): Promise<WebhookDeliveryEntity | null> {
    return manager.findOne(WebhookDeliveryEntity, {
      where: { id: deliveryId, webhookId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** An admin's retry: due now, with a fresh retry window; an attempt in flight keeps its lease. */
  async reopen(deliveryId: string, now: Date, manager: EntityManager): Promise<WebhookDeliveryEntity> {
    await manager.update(
      WebhookDeliveryEntity,
      { id: deliveryId },
      { state: 'PENDING', nextAttemptAt: now, windowOpenedAt: now, deliveredAt: null },
    );
    return manager.findOneByOrFail(WebhookDeliveryEntity, { id: deliveryId });
  }
}
