import { ReceiptDeviationDto } from '../../harvests/dto/harvest-view.dto';
import { NullableObjectProperty } from '../../common/http/view-properties';
import { ApiProperty } from '@nestjs/swagger';
import { BatchStatus } from '../domain/batch-state-machine';

const DATE_TIME = { type: String, format: 'date-time' } as const;
const UUID = { type: String, format: 'uuid' } as const;

export class LatestCountDto {
  @ApiProperty({ example: 1_600_000 })
  totalCells!: number;

  @ApiProperty({ example: 94, nullable: true, type: Number })
  viabilityPct!: number | null;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:00:00.000Z' })
  at!: Date;

  @ApiProperty({
    enum: ['ISOLATION', 'PASSAGE', 'COUNT', 'FINAL_HARVEST'],
    example: 'PASSAGE',
    description: 'What the count was taken at',
  })
  kind!: string;
}

export class PassageGrowthDto {
  @ApiProperty({ ...UUID, example: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f' })
  id!: string;

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

  @ApiProperty({ example: 4, description: 'Sum of the PDs since isolation' })
  cumulativePopulationDoublings!: number;

  @ApiProperty({
    example: 30,
    nullable: true,
    type: Number,
    description: 'Hours of the interval / PD; null when PD <= 0',
  })
  doublingTimeHours!: number | null;
}

export class FinalHarvestGrowthDto {
  @ApiProperty({ ...UUID, example: '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6' })
  id!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T00:30:00.000Z' })
  performedAt!: Date;

  @ApiProperty({ example: 200_000_000 })
  totalCells!: number;

  @ApiProperty({ example: 90 })
  viabilityPct!: number;

  @ApiProperty({ example: 180_000_000, description: 'floor(totalCells * viabilityPct / 100)' })
  viableCells!: number;

  @ApiProperty({ example: 3.2 })
  populationDoublings!: number;

  @ApiProperty({ example: 11 })
  cumulativePopulationDoublings!: number;

  @ApiProperty({ example: 40, nullable: true, type: Number })
  doublingTimeHours!: number | null;
}

export class QcResultViewDto {
  @ApiProperty({ ...UUID, example: '2e3f4a5b-6c7d-4e8f-9a0b-c1d2e3f4a5b6' })
  id!: string;

  @ApiProperty({ example: 'ENDOTOXIN' })
  test!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  result!: string | null;

  @ApiProperty({ example: 0.05, nullable: true, type: Number })
  value!: number | null;

  @ApiProperty({ example: '<', nullable: true, type: String })
  qualifier!: string | null;

  @ApiProperty({ example: 'EU/mL', nullable: true, type: String })
  unit!: string | null;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T03:00:00.000Z' })
  testedAt!: Date;

  @ApiProperty({ enum: ['PASS', 'FAIL', 'PENDING'], example: 'PASS' })
  outcome!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { kind: 'NUMERIC', operator: '<', limit: 0.5, unit: 'EU/mL' },
  })
  spec!: unknown;

  @ApiProperty({ example: true, description: 'Whether this result is the one that counts for its test' })
  counting!: boolean;

  @ApiProperty({ example: false })
  recordedAfterRelease!: boolean;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  correctsId!: string | null;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  supersededBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  recordedBy!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T03:05:00.000Z' })
  recordedAt!: Date;
}

export class QcStateDto {
  @ApiProperty({
    example: true,
    description: 'Every test has a counting result; only STERILITY may be PENDING',
  })
  complete!: boolean;

  @ApiProperty({ example: true, description: 'No counting result fails' })
  passed!: boolean;

  @ApiProperty({
    type: [QcResultViewDto],
    description: 'Every result recorded, oldest first, superseded ones included',
  })
  results!: QcResultViewDto[];
}

export class DecisionViewDto {
  @ApiProperty({ enum: ['RELEASE', 'REJECT'], example: 'RELEASE' })
  decision!: string;

  @ApiProperty({ ...UUID, example: '4a5b6c7d-8e9f-4a0b-b1c2-d3e4f5a6b7c8' })
  signerId!: string;

  @ApiProperty({ example: 'Yuki Sato', description: "The signer's printed name when signing" })
  signerName!: string;

  @ApiProperty({ example: 'Released for clinical use' })
  meaning!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T06:00:00.000Z' })
  signedAt!: Date;

  @ApiProperty({
    example: 'a3f5c1d2e4b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b',
    description: 'SHA-256 of what was signed',
  })
  recordHash!: string;
}

/** The fields a batch shows in lists. */
export class BatchSummaryDto {
  @ApiProperty({ ...UUID, example: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e' })
  id!: string;

  @ApiProperty({
    example: 'X999926000123',
    description: 'ISBT 128 DIN: FIN, two-digit year, six-digit sequence',
  })
  din!: string;

  @ApiProperty({ example: 'K', description: 'ISO/IEC 7064 MOD 37-2 check character, printed beside the DIN' })
  dinCheck!: string;

  @ApiProperty({ enum: BatchStatus, example: BatchStatus.IN_CULTURE })
  status!: BatchStatus;

  @ApiProperty({ example: false, description: 'The donor screened REACTIVE: handle and store as biohazard' })
  biohazard!: boolean;

  @ApiProperty({ ...UUID, example: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f' })
  donorId!: string;

  @ApiProperty({ ...UUID, example: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a' })
  clinicId!: string;

  @ApiProperty({ ...UUID, example: '8e9f0a1b-2c3d-4e4f-8a5b-6c7d8e9f0a1b' })
  harvestId!: string;

  @ApiProperty({ example: 'CULTURED_ADSC' })
  productType!: string;

  @ApiProperty({ example: 100_000_000 })
  targetCellCount!: number;

  @ApiProperty({ example: 'ADSC-2026.1' })
  specificationVersion!: string;

  @ApiProperty({ example: 2, nullable: true, type: Number, description: 'null before isolation, 0 after it' })
  currentPassage!: number | null;

  @ApiProperty({ example: 180_000_000, nullable: true, type: Number })
  viableCellsYielded!: number | null;

  @ApiProperty({
    example: 150_000_000,
    nullable: true,
    type: Number,
    description: 'viableCellsYielded - cells drawn by doses and vials',
  })
  cellsRemaining!: number | null;

  @ApiProperty({ example: false })
  readyForInjection!: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  expiresAt!: Date | null;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-02T00:00:00.000Z' })
  createdAt!: Date;
}

export class BatchViewDto extends BatchSummaryDto {
  @ApiProperty({ ...UUID, example: '9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c' })
  specificationId!: string;

  @ApiProperty({ example: 5, description: 'Highest passage the specification allows' })
  maxPassage!: number;

  @NullableObjectProperty(LatestCountDto, 'The most recent cell count on the growth curve')
  latestCount!: LatestCountDto | null;

  @ApiProperty({ example: 6.5 })
  cumulativePopulationDoublings!: number;

  @ApiProperty({
    ...DATE_TIME,
    nullable: true,
    example: '2026-11-20T00:00:00.000Z',
    description:
      'When the target is projected to be reached (least squares over the last three points); null with fewer than two points, no growth, after the final harvest, or once the batch left culture',
  })
  projectedReadyAt!: Date | null;

  @ApiProperty({ type: [PassageGrowthDto], description: 'Current passages with their doublings' })
  passages!: PassageGrowthDto[];

  @NullableObjectProperty(FinalHarvestGrowthDto)
  finalHarvest!: FinalHarvestGrowthDto | null;

  @ApiProperty({ example: 0 })
  cellsDrawn!: number;

  @ApiProperty({ type: QcStateDto })
  qc!: QcStateDto;

  @ApiProperty({ example: 0, description: 'Deviations still open (a release needs none)' })
  openDeviations!: number;

  @ApiProperty({
    type: [ReceiptDeviationDto],
    description: 'Deviations recorded at the harvest receipt',
  })
  receiptDeviations!: ReceiptDeviationDto[];

  @ApiProperty({
    ...DATE_TIME,
    nullable: true,
    example: null,
    description: 'Set when a post-release failure recalled the doses',
  })
  recalledAt!: Date | null;

  @NullableObjectProperty(DecisionViewDto)
  decision!: DecisionViewDto | null;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:00:00.000Z' })
  updatedAt!: Date;
}

export class BatchPageDto {
  @ApiProperty({ type: [BatchSummaryDto] })
  items!: BatchSummaryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}
