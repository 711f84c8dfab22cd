import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';

export class FormulateDoseDto {
  @ApiProperty({
    example: 50_000_000,
    minimum: 1,
    maximum: 1e12,
    description: 'Viable cells drawn from the final harvest',
  })
  @IsInt()
  @Min(1)
  @Max(1e12)
  cells!: number;

  @ApiProperty({
    example: 2.5,
    minimum: 0.01,
    maximum: 500,
    description: 'Volume in the syringe, mL (two decimals)',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(500)
  volumeMl!: number;

  @ApiProperty({ example: '2026-11-24T09:00:00+09:00', description: 'At most 5 minutes ahead' })
  @IsPastEventTime()
  formulatedAt!: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    example: ['8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f'],
    description: 'Reagent lots used (recall lists); each must not have expired at formulatedAt',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  materialLotIds?: string[];
}
