import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../common/pagination/created-at-cursor';
import { Grade, SamplingMethod } from './domain/action-limits';
import { EnvironmentalActionLimitEntity } from './environmental-action-limit.entity';
import { EnvironmentalSampleEntity } from './environmental-sample.entity';

export interface SampleListRow extends EnvironmentalSampleEntity {
  cursorAt: string;
}

export interface SampleFilter {
  room: string | null;
  from: Date | null;
  to: Date | null;
}

/** The `environmental_samples` and `environmental_action_limits` tables; the only code that touches them. */
@Injectable()
export class EnvironmentalSamplesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async limitOf(grade: Grade, method: SamplingMethod, manager: EntityManager): Promise<number | null> {
    const row = await manager.findOneBy(EnvironmentalActionLimitEntity, { grade, method });
    return row?.limitCfu ?? null;
  }

  async insert(
    sample: Omit<EnvironmentalSampleEntity, 'id'>,
    manager: EntityManager,
  ): Promise<EnvironmentalSampleEntity> {
    const { identifiers } = await manager.insert(EnvironmentalSampleEntity, sample);
    return manager.findOneByOrFail(EnvironmentalSampleEntity, { id: identifiers[0].id as string });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<EnvironmentalSampleEntity | null> {
    return manager.findOneBy(EnvironmentalSampleEntity, { id });
  }

  /** Newest sampled first; `after` is the previous page's last cursor key. */
  async list(filter: SampleFilter, limit: number, after: [string, string] | null): Promise<SampleListRow[]> {
    const query = this.db
      .createQueryBuilder(EnvironmentalSampleEntity, 's')
      .addSelect(CREATED_AT_CURSOR_EXPRESSION.replace('created_at', 's.sampled_at'), 'cursorAt')
      .orderBy('s.sampled_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit);
    if (filter.room !== null) query.andWhere('s.room = :room', { room: filter.room });
    if (filter.from !== null) query.andWhere('s.sampled_at >= :from', { from: filter.from });
    if (filter.to !== null) query.andWhere('s.sampled_at < :to', { to: filter.to });
    if (after)
      query.andWhere('(s.sampled_at, s.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const { raw, entities } = await query.getRawAndEntities();
    return entities.map((entity, i) =>
      Object.assign(entity, { cursorAt: (raw[i] as { cursorAt: string }).cursorAt }),
    );
  }
}
