import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GrowthPointDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-07T00:00:00.000Z' })
  at!: Date;

  @ApiProperty({ enum: ['ISOLATION', 'PASSAGE', 'COUNT', 'FINAL_HARVEST'], example: 'PASSAGE' })
  kind!: string;

  @ApiPropertyOptional({ example: 1, description: 'Present on passage points' })
  passageNumber?: number;

  @ApiProperty({ example: 1_600_000 })
  totalCells!: number;

  @ApiProperty({ example: 94, nullable: true, type: Number })
  viabilityPct!: number | null;

  @ApiProperty({ example: 4 })
  cumulativePopulationDoublings!: number;
}

export class GrowthViewDto {
  @ApiProperty({
    type: [GrowthPointDto],
    description: 'Current entries only (corrections replace what they correct), in time order',
  })
  points!: GrowthPointDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-20T00:00:00.000Z' })
  projectedReadyAt!: Date | null;

  @ApiProperty({ example: 100_000_000 })
  targetCellCount!: number;

  @ApiProperty({
    example: 100_000,
    nullable: true,
    type: Number,
    description: 'Cells plated at isolation (P0)',
  })
  cellsPlated!: number | null;

  @ApiProperty({ example: 6.5 })
  cumulativePopulationDoublings!: number;
}
