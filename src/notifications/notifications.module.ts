import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { DosesModule } from '../doses/doses.module';
import { EmailDeliveryService } from './email/email-delivery.service';
import { EmailRepository } from './email/email.repository';
import {
  NotificationPreferencesController,
  NotificationPreferencesService,
} from './email/notification-preferences';
import { NotificationEventsRepository } from './notification-events.repository';
import { NotificationFanout } from './notification-fanout.service';
import { NotificationJobsProcessor } from './notification-jobs.processor';
import { NOTIFICATIONS_QUEUE, NotificationWakeUps } from './notification-queue';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * Flags reach people and systems (docs/notifications.md): webhooks in the Standard Webhooks format and e-mail,
 * both recorded in the flag's own transaction (NotificationFanout on the event bus) and sent by the jobs
 * module's workers (NotificationJobsProcessor).
 */
@Module({
  imports: [BatchesModule, DosesModule, BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE })],
  controllers: [WebhooksController, NotificationPreferencesController],
  providers: [
    WebhooksRepository,
    NotificationEventsRepository,
    EmailRepository,
    WebhooksService,
    NotificationPreferencesService,
    NotificationFanout,
    NotificationWakeUps,
    WebhookDeliveryService,
    EmailDeliveryService,
    NotificationJobsProcessor,
  ],
  exports: [NotificationJobsProcessor],
})
export class NotificationsModule {}
