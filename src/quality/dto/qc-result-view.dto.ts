import { ApiProperty } from '@nestjs/swagger';
import { QcOutcome, QcTest } from '../domain/specification';
import { QcResultRow } from '../qc-results.repository';

export class RecordedQcResultDto {
  @ApiProperty({ format: 'uuid', example: '5b8e1f0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ enum: QcTest, example: QcTest.ENDOTOXIN })
  test!: QcTest;

  @ApiProperty({ type: String, nullable: true, enum: ['NEGATIVE', 'POSITIVE', 'PENDING'], example: null })
  result!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 0.05 })
  value!: number | null;

  @ApiProperty({ type: String, nullable: true, enum: ['<'], example: '<' })
  qualifier!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'EU/mL' })
  unit!: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T01:00:00.000Z' })
  testedAt!: Date;

  @ApiProperty({ enum: QcOutcome, example: QcOutcome.PASS })
  outcome!: QcOutcome;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { kind: 'NUMERIC', specVersion: 'ADSC-2026.1', unit: 'EU/mL', operator: '<', limit: 0.5 },
    description:
      'The limit applied, copied from the specification: a later spec change never re-judges this result',
  })
  spec!: unknown;

  @ApiProperty({ format: 'uuid', example: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  specificationId!: string;

  @ApiProperty({ example: false, description: 'Recorded while the batch was RELEASED' })
  recordedAfterRelease!: boolean;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'The result this one corrects',
  })
  correctsId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'The result that corrects this one',
  })
  supersededBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  recordedBy!: string;

  @ApiProperty({ example: 'technician' })
  recordedByRole!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T01:05:00.000Z' })
  recordedAt!: Date;
}

export function qcResultView(row: QcResultRow): RecordedQcResultDto {
  return {
    id: row.id,
    batchId: row.batchId,
    test: row.test,
    result: row.result,
    value: row.value,
    qualifier: row.qualifier,
    unit: row.unit,
    testedAt: row.testedAt,
    outcome: row.outcome,
    spec: row.spec,
    specificationId: row.specificationId,
    recordedAfterRelease: row.recordedAfterRelease,
    correctsId: row.correctsId,
    supersededBy: row.supersededBy,
    reason: row.reason,
    recordedBy: row.recordedBy,
    recordedByRole: row.recordedByRole,
    recordedAt: row.recordedAt,
  };
}
