import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CorrectionFields } from '../../common/corrections/correction';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { CellNumber, EquipmentIds, MaterialLotIds, Percentage } from './step-fields';

export class RecordPassageDto extends CorrectionFields {
  @ApiProperty({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: 50,
    description:
      'Current passage + 1 (422 PASSAGE_OUT_OF_ORDER), at most the specification maximum (422 PASSAGE_LIMIT_EXCEEDED); ' +
      'a correction repeats the number of the passage it corrects',
  })
  @IsInt()
  @Min(1)
  @Max(50)
  passageNumber!: number;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-07T09:00:00+09:00',
    description:
      'ISO 8601 with zone; not before the seeding it ends nor, for a correction, after the step that follows',
  })
  @IsPastEventTime()
  performedAt!: string;

  @CellNumber(
    'Cells harvested at the end of the interval (PD = log2(cellsHarvested / previous seeding))',
    1_600_000,
  )
  cellsHarvested!: number;

  @Percentage('Share of the harvested cells alive', 94)
  viabilityPct!: number;

  @CellNumber('Cells seeded to start the next interval', 400_000)
  cellsSeeded!: number;

  @ApiPropertyOptional({ type: 'integer', example: 4, minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  vesselCount?: number;

  @Percentage('Confluence when passaged', 85, true)
  confluencePct?: number;

  @MaterialLotIds()
  materialLotIds?: string[];

  @EquipmentIds()
  equipmentIds?: string[];
}
