import { ApiProperty } from '@nestjs/swagger';
import { FlagResolution, FlagStatus, FlagSubjectType, FlagType } from '../domain/flag-type';
import { FlagRow } from '../flags.repository';

const UUID_EXAMPLE = '6a1f0c3e-2b7d-4e59-8c14-3d9e7f0a5b21';

/** A flag as users see it: raised and resolved by the jobs, acknowledged by people. */
export class FlagViewDto {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE })
  id!: string;

  @ApiProperty({ enum: FlagType, example: FlagType.POST_RELEASE_QC_FAILURE })
  type!: FlagType;

  @ApiProperty({ enum: FlagStatus, example: FlagStatus.OPEN })
  status!: FlagStatus;

  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    example: '0d4c7b1a-93e2-4f6d-b8a0-5c2e1f9d7a36',
  })
  batchId!: string | null;

  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    example: null,
    description: 'Set for DOSE_EXPIRING',
  })
  doseId!: string | null;

  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    example: null,
    description: 'Set for STORAGE_REVIEW_DUE',
  })
  reviewId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '9b2e4d6f-1a3c-4e5b-8d7f-0a2c4e6b8d1f',
    description: 'null for facility flags (a storage unit, equipment, a cleanroom), which doctors never see',
  })
  clinicId!: string | null;

  @ApiProperty({
    enum: [
      'batch',
      'dose',
      'qc_result',
      'storage_review',
      'vial',
      'adverse_event',
      'excursion',
      'equipment',
      'environmental_sample',
      'donor',
      'outcome',
    ],
    example: 'qc_result',
    description: 'What the flag is about; at most one open flag per (type, subject)',
  })
  subjectType!: FlagSubjectType;

  @ApiProperty({ format: 'uuid', example: '4e8a2c6b-7d1f-4a3e-9b5c-2f6d8a0c4e7b' })
  subjectId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T09:30:02.000Z' })
  raisedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  acknowledgedAt!: Date | null;

  @ApiProperty({ format: 'uuid', type: String, nullable: true, example: null })
  acknowledgedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  resolvedAt!: Date | null;

  @ApiProperty({
    enum: FlagResolution,
    nullable: true,
    example: null,
    description:
      'CONDITION_ENDED (the job saw it end) or ACKNOWLEDGED_BY_QA (post-release QC failure, closed by QA)',
  })
  resolution!: FlagResolution | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      din: 'X999926000042',
      qcResultId: '4e8a2c6b-7d1f-4a3e-9b5c-2f6d8a0c4e7b',
      test: 'STERILITY',
      result: 'POSITIVE',
      administeredDoses: [
        {
          doseId: '7c1e3a5b-9d2f-4b6a-8e0c-1a3b5d7f9e2c',
          label: 'X999926000042-D01',
          administeredAt: '2026-11-20T10:00:00.000Z',
        },
      ],
    },
    description:
      'What the job saw: for POST_RELEASE_QC_FAILURE the doses already administered (patients to follow up)',
  })
  details!: Record<string, unknown>;
}

export class FlagPageDto {
  @ApiProperty({ type: [FlagViewDto] })
  items!: FlagViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function flagView(row: FlagRow): FlagViewDto {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    batchId: row.batchId,
    doseId: row.doseId,
    reviewId: row.reviewId,
    clinicId: row.clinicId,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    raisedAt: row.raisedAt,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: row.resolvedAt,
    resolution: row.resolution,
    details: row.details,
  };
}
