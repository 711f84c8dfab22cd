import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { PageQuery } from '../../common/pagination/pagination';
import {
  EnumField,
  IntegerField,
  PastTimestampField,
  TextField,
  TimestampField,
} from '../../common/validation/fields';
import { Grade, GRADES, SampleOutcome, SAMPLING_METHODS, SamplingMethod } from '../domain/action-limits';
import { EnvironmentalSampleEntity } from '../environmental-sample.entity';

export class RecordSampleDto {
  @TextField({ max: 100, notBlank: true, example: 'CR-1 (filling)' })
  room!: string;

  @EnumField(GRADES, { enumName: 'CleanroomGrade', example: 'B' })
  grade!: Grade;

  @EnumField(SAMPLING_METHODS, { enumName: 'SamplingMethod', example: 'SETTLE_PLATE' })
  method!: SamplingMethod;

  @IntegerField({ min: 0, max: 1_000_000, example: 2, description: 'Colony-forming units counted' })
  cfu!: number;

  @PastTimestampField({ example: '2026-11-24T09:30:00+09:00' })
  sampledAt!: string;
}

export class SampleViewDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'CR-1 (filling)' })
  room!: string;

  @ApiProperty({ enum: GRADES, enumName: 'CleanroomGrade' })
  grade!: Grade;

  @ApiProperty({ enum: SAMPLING_METHODS, enumName: 'SamplingMethod' })
  method!: SamplingMethod;

  @IntegerProperty({ example: 2 })
  cfu!: number;

  @DateTimeProperty()
  sampledAt!: Date;

  @ApiProperty({
    enum: ['WITHIN', 'ACTION'],
    enumName: 'SampleOutcome',
    description: 'ACTION: at or over the limit',
  })
  outcome!: SampleOutcome;

  @IntegerProperty({
    nullable: true,
    example: 5,
    description: 'The action limit applied (CFU); null: none for this grade and method',
  })
  limit!: number | null;

  @UuidProperty()
  recordedBy!: string;

  @DateTimeProperty()
  recordedAt!: Date;
}

export class SamplePageDto {
  @ApiProperty({ type: [SampleViewDto] })
  items!: SampleViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class ListSamplesQuery extends PageQuery {
  @TextField({ max: 100, optional: true, example: 'CR-1 (filling)' })
  room?: string;

  @TimestampField({ optional: true, description: 'Sampled at or after' })
  from?: string;

  @TimestampField({ optional: true, description: 'Sampled before' })
  to?: string;
}

export function sampleView(row: EnvironmentalSampleEntity): SampleViewDto {
  return {
    id: row.id,
    room: row.room,
    grade: row.grade,
    method: row.method,
    cfu: row.cfu,
    sampledAt: row.sampledAt,
    outcome: row.outcome,
    limit: row.limitCfu,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  };
}
