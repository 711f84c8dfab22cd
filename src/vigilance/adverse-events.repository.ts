import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../common/pagination/created-at-cursor';
import { AdverseEventEntity } from './adverse-event.entity';
import { AdverseEventStatus } from './domain/adverse-event-rules';

export interface AdverseEventListRow extends AdverseEventEntity {
  cursorAt: string;
}

const RECORDED_CURSOR = CREATED_AT_CURSOR_EXPRESSION.replace('created_at', 'e.recorded_at');

/** The `adverse_events` table (AdverseEventEntity); the only code that reads or writes it. */
@Injectable()
export class AdverseEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(event: AdverseEventEntity, manager: EntityManager): Promise<void> {
    await manager.insert(AdverseEventEntity, event);
  }

  async update(id: string, change: Partial<AdverseEventEntity>, manager: EntityManager): Promise<void> {
    await manager.update(AdverseEventEntity, { id }, change);
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<AdverseEventEntity | null> {
    return manager.findOneBy(AdverseEventEntity, { id });
  }

  lockById(id: string, manager: EntityManager): Promise<AdverseEventEntity | null> {
    return manager.findOne(AdverseEventEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Newest recorded first; `after` is the cursor key of the previous page's last row. */
  list(
    filter: { status: AdverseEventStatus | null; clinicId: string | null },
    limit: number,
    after: [string, string] | null,
  ): Promise<AdverseEventListRow[]> {
    const query = this.db
      .createQueryBuilder(AdverseEventEntity, 'e')
      .addSelect(RECORDED_CURSOR, 'cursorAt')
      .orderBy('e.recorded_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit);
    if (filter.status) query.andWhere('e.status = :status', { status: filter.status });
    if (filter.clinicId) query.andWhere('e.clinic_id = :clinicId', { clinicId: filter.clinicId });
    if (after)
      query.andWhere('(e.recorded_at, e.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return query
      .getRawAndEntities()
      .then(({ raw, entities }) =>
        entities.map((entity, i) =>
          Object.assign(entity, { cursorAt: (raw[i] as { cursorAt: string }).cursorAt }),
        ),
      );
  }

  /** The serious events not yet reported: the active set of the report-due sweep (a partial index). */
  async awaitingReport(manager: EntityManager = this.db.manager): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM adverse_events WHERE reported_at IS NULL AND report_due_at IS NOT NULL ORDER BY report_due_at`,
    );
    return rows.map((row) => row.id);
  }
}
