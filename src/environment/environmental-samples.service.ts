import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { DomainEvent } from '../common/events/domain-events';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { judgeSample } from './domain/action-limits';
import { ListSamplesQuery, RecordSampleDto, sampleView, SampleViewDto } from './dto/environmental-sample.dto';
import { EnvironmentalSampleEntity } from './environmental-sample.entity';
import { EnvironmentalSamplesRepository } from './environmental-samples.repository';

/**
 * Environmental monitoring (docs/environment.md): each sample is judged against the action limit of its
 * grade and method, kept as data and copied onto the sample; an ACTION result raises ENVIRONMENT_ACTION.
 */
@Injectable()
export class EnvironmentalSamplesService {
  constructor(
    private readonly samples: EnvironmentalSamplesRepository,
    private readonly transactions: Transactions,
  ) {}

  async record(user: AuthUser, dto: RecordSampleDto): Promise<SampleViewDto> {
    const sampledAt = parseZonedTimestamp(dto.sampledAt) as Date;
    return this.transactions.run(actorOf(user), async (tx) => {
      const limitCfu = await this.samples.limitOf(dto.grade, dto.method, tx.manager);
      const outcome = judgeSample(dto.cfu, limitCfu);
      const sample = await this.samples.insert(
        {
          room: dto.room.trim(),
          grade: dto.grade,
          method: dto.method,
          cfu: dto.cfu,
          sampledAt,
          outcome,
          limitCfu,
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      const view = sampleView(sample);
      tx.audit({
        action: 'environmental_sample.recorded',
        entityType: 'environmental_sample',
        entityId: sample.id,
        after: view,
      });
      if (outcome === 'ACTION') {
        tx.emit({
          type: DomainEvent.ENVIRONMENTAL_SAMPLE_RECORDED,
          subjectType: 'environmental_sample',
          subjectId: sample.id,
        });
      }
      return view;
    });
  }

  async list(query: ListSamplesQuery): Promise<Page<SampleViewDto>> {
    const from = query.from ? parseZonedTimestamp(query.from) : null;
    const to = query.to ? parseZonedTimestamp(query.to) : null;
    if (from && to && from.getTime() >= to.getTime()) {
      throw validationFailed([{ field: 'from', errors: ['from must be before to'] }]);
    }
    const rows = await this.samples.list(
      { room: query.room?.trim() ?? null, from, to },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], sampleView);
  }

  async get(sampleId: string, manager?: EntityManager): Promise<EnvironmentalSampleEntity> {
    const sample = await this.samples.findById(sampleId, manager);
    if (!sample) throw notFound('Environmental sample', sampleId);
    return sample;
  }

  find(sampleId: string, manager?: EntityManager): Promise<EnvironmentalSampleEntity | null> {
    return this.samples.findById(sampleId, manager);
  }
}
