import { ApiProperty } from '@nestjs/swagger';
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

export class PassageResultDto extends RecordedEntryDto {
  @ApiProperty({ example: 1 })
  passageNumber!: number;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:00:00.000Z' })
  performedAt!: Date;

  @ApiProperty({ example: 1_600_000 })
  cellsHarvested!: number;

  @ApiProperty({ example: 400_000 })
  cellsSeeded!: number;

  @ApiProperty({ example: 94 })
  viabilityPct!: number;

  @ApiProperty({ example: 4, description: 'log2(cellsHarvested / previous seeding)' })
  populationDoublings!: number;

  @ApiProperty({ example: 4 })
  cumulativePopulationDoublings!: number;

  @ApiProperty({
    example: 30,
    nullable: true,
    type: Number,
    description: 'Hours of the interval / PD; null when PD <= 0',
  })
  doublingTimeHours!: number | null;
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

export class FinalHarvestResultDto extends RecordedEntryDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T00:30:00.000Z' })
  performedAt!: Date;

  @ApiProperty({ example: 200_000_000 })
  totalCells!: number;

  @ApiProperty({ example: 90 })
  viabilityPct!: number;

  @ApiProperty({
    example: 180_000_000,
    description: 'Viable cells yielded: floor(totalCells * viabilityPct / 100)',
  })
  viableCells!: number;

  @ApiProperty({ example: 3.2 })
  populationDoublings!: number;

  @ApiProperty({ example: 11 })
  cumulativePopulationDoublings!: number;

  @ApiProperty({ example: 40, nullable: true, type: Number })
  doublingTimeHours!: number | null;
}
