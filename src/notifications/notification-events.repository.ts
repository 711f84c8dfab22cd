import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationEventEntity } from './notification-event.entity';

/** The `notification_events` table: written once per flag change, never changed. */
@Injectable()
export class NotificationEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string): Promise<NotificationEventEntity | null> {
    return this.db.manager.findOneBy(NotificationEventEntity, { id });
  }

  async insert(event: NotificationEventEntity, manager: EntityManager): Promise<void> {
    await manager.insert(NotificationEventEntity, event);
  }
}
