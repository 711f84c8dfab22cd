import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CorrectionFields } from '../../common/corrections/correction';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { CellNumber, EquipmentIds, Percentage } from './step-fields';

export class RecordCellCountDto extends CorrectionFields {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-05T14:00:00+09:00',
    description:
      'ISO 8601 with zone; within the current passage (not before its seeding), at most 5 minutes ahead',
  })
  @IsPastEventTime()
  countedAt!: string;

  @CellNumber('All cells counted in the vessels', 800_000)
  totalCells!: number;

  @Percentage('Share of the counted cells alive', 95)
  viabilityPct!: number;

  @ApiPropertyOptional({ example: 'NucleoCounter NC-200', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'method must not be blank' })
  method?: string;

  @EquipmentIds()
  equipmentIds?: string[];
}
