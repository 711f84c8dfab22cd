import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNumber, IsPositive, IsUUID, Max } from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { Tissue } from '../harvests.repository';

export const TISSUES: readonly Tissue[] = ['ADIPOSE', 'BONE_MARROW', 'SYNOVIUM'];

export class CreateHarvestDto {
  @ApiProperty({
    format: 'uuid',
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    description: "A donor of the doctor's clinic",
  })
  @IsUUID()
  donorId!: string;

  @ApiProperty({ enum: TISSUES, example: 'ADIPOSE' })
  @IsIn(TISSUES)
  tissue!: Tissue;

  @ApiProperty({
    example: 20,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 500,
    description: 'mL collected, 0 < v <= 500, two decimals at most',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @IsPositive()
  @Max(500)
  volumeMl!: number;

  @ApiProperty({
    example: '2026-11-24T09:30:00+09:00',
    description: 'When the tissue was collected (not more than 5 minutes ahead)',
  })
  @IsPastEventTime()
  collectedAt!: string;
}
