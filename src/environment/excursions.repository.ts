import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../common/pagination/created-at-cursor';
import { ExcursionStatus } from './domain/excursion-status';
import { ExcursionEntity } from './excursion.entity';

export interface ExcursionListRow extends ExcursionEntity {
  cursorAt: string;
}

const DETECTED_CURSOR = CREATED_AT_CURSOR_EXPRESSION.replace('created_at', 'detected_at');

/** The `excursions` table (ExcursionEntity); the only code that reads or writes it. */
@Injectable()
export class ExcursionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(excursion: ExcursionEntity, manager: EntityManager): Promise<void> {
    await manager.insert(ExcursionEntity, excursion);
  }

  async update(id: string, change: Partial<ExcursionEntity>, manager: EntityManager): Promise<void> {
    await manager.update(ExcursionEntity, { id }, change);
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<ExcursionEntity | null> {
    return manager.findOneBy(ExcursionEntity, { id });
  }

  lockById(id: string, manager: EntityManager): Promise<ExcursionEntity | null> {
    return manager.findOne(ExcursionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The unit's excursions that overlap [from, to] (an open one reaches to now), oldest first. */
  overlapping(
    unitId: string,
    from: Date,
    to: Date,
    manager: EntityManager = this.db.manager,
  ): Promise<ExcursionEntity[]> {
    return manager
      .createQueryBuilder(ExcursionEntity, 'e')
      .where('e.unit_id = :unitId', { unitId })
      .andWhere('e.started_at <= :to', { to })
      .andWhere('(e.ended_at IS NULL OR e.ended_at >= :from)', { from })
      .orderBy('e.started_at')
      .getMany();
  }

  /** Newest found first; `after` is the cursor key of the previous page's last row. */
  list(
    status: ExcursionStatus | null,
    limit: number,
    after: [string, string] | null,
  ): Promise<ExcursionListRow[]> {
    const query = this.db
      .createQueryBuilder(ExcursionEntity, 'e')
      .addSelect(DETECTED_CURSOR.replace('detected_at', 'e.detected_at'), 'cursorAt')
      .orderBy('e.detected_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit);
    if (status) query.andWhere('e.status = :status', { status });
    if (after)
      query.andWhere('(e.detected_at, e.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    return query
      .getRawAndEntities()
      .then(({ raw, entities }) =>
        entities.map((entity, i) =>
          Object.assign(entity, { cursorAt: (raw[i] as { cursorAt: string }).cursorAt }),
        ),
      );
  }
}
