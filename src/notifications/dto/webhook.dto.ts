import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { PageQuery } from '../../common/pagination/pagination';
import { BooleanField, TextField, UuidField } from '../../common/validation/fields';
import { FLAG_EVENT_TYPES, FlagEventType } from '../domain/flag-event';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity';
import { WebhookEntity } from '../webhooks/webhook.entity';
import { FlagTypeListField } from './flag-type-list.field';

export class CreateWebhookDto {
  @TextField({
    max: 2048,
    example: 'https://clinic-emr.example.org/hooks/cpc',
    description:
      'https (http only with WEBHOOK_ALLOW_INSECURE, and then to non-public addresses only); every address the name resolves to must be public unless WEBHOOK_ALLOW_INSECURE',
  })
  url!: string;

  @FlagTypeListField({
    allowAll: true,
    minItems: 1,
    example: ['READY_FOR_INJECTION', 'DOSE_EXPIRING'],
    description: 'The flag types whose raised and resolved events it receives, or ["*"] for all',
  })
  events!: string[];

  @UuidField({
    optional: true,
    example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
    description:
      "A clinic's webhook receives only its clinic's flags; without, the facility's receives every flag",
  })
  clinicId?: string;
}

export class UpdateWebhookDto {
  @BooleanField({ optional: true, example: false, description: 'An inactive webhook receives nothing' })
  active?: boolean;

  @FlagTypeListField({
    allowAll: true,
    minItems: 1,
    optional: true,
    example: ['*'],
    description: 'Replaces the list of flag types',
  })
  events?: string[];
}

export class WebhookViewDto {
  @UuidProperty({ example: '3c1d9e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' })
  id!: string;

  @ApiProperty({ example: 'https://clinic-emr.example.org/hooks/cpc' })
  url!: string;

  @ApiProperty({ type: [String], example: ['READY_FOR_INJECTION'] })
  events!: string[];

  @UuidProperty({ nullable: true, example: null, description: "null: the facility's webhook" })
  clinicId!: string | null;

  @ApiProperty({ example: true })
  active!: boolean;

  @DateTimeProperty({ example: '2026-11-24T09:30:00.000Z' })
  createdAt!: Date;

  @DateTimeProperty({ example: '2026-11-24T09:30:00.000Z' })
  updatedAt!: Date;
}

export class CreatedWebhookDto extends WebhookViewDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'The Standard Webhooks signing secret: shown here once and never again; store it with the receiver',
  })
  secret!: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookViewDto] })
  items!: WebhookViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class DeliveryViewDto {
  @UuidProperty({ example: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b' })
  id!: string;

  @UuidProperty({
    example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    description: 'The webhook-id header of every attempt of this event',
  })
  eventId!: string;

  @ApiProperty({ enum: FLAG_EVENT_TYPES, example: FlagEventType.RAISED })
  type!: FlagEventType;

  @IntegerProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'FAILED'], example: 'DELIVERED' })
  state!: string;

  @IntegerProperty({ nullable: true, example: 204, description: "The receiver's last HTTP status" })
  responseStatus!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the last attempt failed (a status, a refused address, a timeout)',
  })
  lastError!: string | null;

  @DateTimeProperty({ nullable: true, example: '2026-11-24T09:30:01.000Z' })
  lastAttemptAt!: Date | null;

  @DateTimeProperty({ nullable: true, example: null, description: 'Set while PENDING' })
  nextAttemptAt!: Date | null;

  @DateTimeProperty({ example: '2026-11-24T09:30:00.000Z' })
  createdAt!: Date;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryViewDto] })
  items!: DeliveryViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class DeliveryListQuery extends PageQuery {}

export function webhookView(webhook: WebhookEntity): WebhookViewDto {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    clinicId: webhook.clinicId,
    active: webhook.active,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
  };
}

export function deliveryView(delivery: WebhookDeliveryEntity & { type: FlagEventType }): DeliveryViewDto {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    type: delivery.type,
    attempts: delivery.attempts,
    state: delivery.state,
    responseStatus: delivery.responseStatus,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt,
    nextAttemptAt: delivery.nextAttemptAt,
    createdAt: delivery.createdAt,
  };
}
