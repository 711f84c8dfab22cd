import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { FinalHarvestGrowthDto, PassageGrowthDto } from './batch-view.dto';
import { BatchStatus } from '../domain/batch-state-machine';

const DATE_TIME = { type: String, format: 'date-time' } as const;
const UUID = { type: String, format: 'uuid' } as const;

/** Who recorded an entry and whether it corrects another. */
class RecordedEntryDto {
  @ApiProperty({ ...UUID, example: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f' })
  id!: string;

  @ApiProperty({ ...UUID, example: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e' })
  batchId!: string;

  @ApiProperty({
    enum: BatchStatus,
    example: BatchStatus.IN_CULTURE,
    description: 'The batch status after the step',
  })
  batchStatus!: BatchStatus;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  correctsId!: string | null;

  @ApiProperty({
    ...UUID,
    nullable: true,
    example: null,
    description: 'The entry that corrected this one; null while it stands',
  })
  supersededBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  recordedBy!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:01:00.000Z' })
  recordedAt!: Date;
}

export class IsolationResultDto {
  @ApiProperty({ ...UUID, example: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f' })
  id!: string;

  @ApiProperty({ ...UUID, example: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e' })
  batchId!: string;

  @ApiProperty({ enum: BatchStatus, example: BatchStatus.IN_CULTURE })
  batchStatus!: BatchStatus;

  @ApiProperty({ example: 0 })
  currentPassage!: number;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-02T01:15:00.000Z' })
  performedAt!: Date;

  @ApiProperty({ example: 18.5, nullable: true, type: Number })
  tissueWeightG!: number | null;

  @ApiProperty({ example: 100_000 })
  cellCount!: number;

  @ApiProperty({ example: 92.5 })
  viabilityPct!: number;

  @ApiProperty({ type: [String], example: [] })
  materialLotIds!: string[];

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  recordedBy!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-02T01:16:00.000Z' })
  recordedAt!: Date;
}

/** The passage as recorded, with the growth it yields (the same shape the batch view lists). */
export class PassageResultDto extends IntersectionType(RecordedEntryDto, PassageGrowthDto) {
  @ApiProperty({ type: 'integer', nullable: true, example: 4, description: 'Vessels the cells were split into' })
  vesselCount!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 85, description: 'Confluence when passaged (%)' })
  confluencePct!: number | null;
}

export class CellCountResultDto extends RecordedEntryDto {
  @ApiProperty({ example: 1, description: 'The passage the count was taken in' })
  passageNumber!: number;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-05T05:00:00.000Z' })
  countedAt!: Date;

  @ApiProperty({ example: 800_000 })
  totalCells!: number;

  @ApiProperty({ example: 95 })
  viabilityPct!: number;

  @ApiProperty({ type: String, nullable: true, example: 'NucleoCounter NC-200' })
  method!: string | null;
}

/** The final harvest as recorded, with the growth of its interval and the viable cells it yields. */
export class FinalHarvestResultDto extends IntersectionType(RecordedEntryDto, FinalHarvestGrowthDto) {}
