import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { EnumField, IntegerField, PastTimestampField, TextField } from '../../common/validation/fields';
import {
  indicationOf,
  KELLGREN_LAWRENCE_MAX,
  KELLGREN_LAWRENCE_MIN,
  KneeIndication,
} from '../domain/knee-indication';
import { KneeAssessmentEntity, KneeImaging, KneeSide } from '../knee-assessment.entity';

export const KNEE_SIDES: readonly KneeSide[] = ['LEFT', 'RIGHT'];
const IMAGING: readonly KneeImaging[] = ['MRI', 'XRAY'];

export class RecordKneeAssessmentDto {
  @EnumField(KNEE_SIDES, { example: 'LEFT' })
  knee!: KneeSide;

  @PastTimestampField({ example: '2026-11-02T01:00:00Z', description: 'When the knee was imaged and graded' })
  assessedAt!: string;

  @IntegerField({
    min: KELLGREN_LAWRENCE_MIN,
    max: KELLGREN_LAWRENCE_MAX,
    example: 2,
    description: 'Kellgren-Lawrence grade: 0 none, 1 doubtful, 2 minimal, 3 moderate, 4 severe',
  })
  kellgrenLawrence!: number;

  @EnumField(IMAGING, { example: 'XRAY' })
  imaging!: KneeImaging;

  @TextField({ max: 2000, optional: true, example: 'Medial joint space narrowing' })
  notes?: string;
}

export class KneeAssessmentViewDto {
  @UuidProperty({ example: '2b7f0c1e-4d5a-4f3b-9e8c-7a6b5c4d3e2f' })
  id!: string;

  @ApiProperty({ enum: KNEE_SIDES, example: 'LEFT' })
  knee!: KneeSide;

  @DateTimeProperty({ example: '2026-11-02T01:00:00.000Z' })
  assessedAt!: Date;

  @IntegerProperty({ example: 2, description: 'Kellgren-Lawrence grade 0..4' })
  kellgrenLawrence!: number;

  @ApiProperty({
    enum: KneeIndication,
    example: KneeIndication.EXPECTED_BENEFIT,
    description: 'Derived from the grade: 0 NOT_INDICATED, 1-3 EXPECTED_BENEFIT, 4 PALLIATIVE',
  })
  indication!: KneeIndication;

  @ApiProperty({ enum: IMAGING, example: 'XRAY' })
  imaging!: KneeImaging;

  @ApiProperty({ type: String, nullable: true, example: null })
  notes!: string | null;

  @UuidProperty({ example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  recordedBy!: string;

  @DateTimeProperty({ example: '2026-11-02T01:05:00.000Z' })
  recordedAt!: Date;
}

export function kneeAssessmentView(row: KneeAssessmentEntity): KneeAssessmentViewDto {
  return {
    id: row.id,
    knee: row.knee,
    assessedAt: row.assessedAt,
    kellgrenLawrence: row.kellgrenLawrence,
    indication: indicationOf(row.kellgrenLawrence),
    imaging: row.imaging,
    notes: row.notes,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  };
}
