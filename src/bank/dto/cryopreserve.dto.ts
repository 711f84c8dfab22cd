import { PercentField, UuidListField } from '../../common/validation/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { ScanField } from '../../labels/dto/scan-field';
import { MAX_GRID } from '../domain/storage-hierarchy';
import { VialSummaryDto } from './vial-view.dto';

export const MAX_VIALS_PER_FREEZING = 200;

export class VialToFreezeDto {
  @ApiProperty({
    type: 'integer',
    example: 5_000_000,
    minimum: 1,
    maximum: 1e12,
    description: 'Viable cells in the vial, drawn from the final harvest',
  })
  @IsInt()
  @Min(1)
  @Max(1e12)
  cells!: number;

  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  @IsUUID()
  boxId!: string;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: MAX_GRID })
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  row!: number;

  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: MAX_GRID })
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  col!: number;

  @ScanField("The tube's label before freezing: the batch's DIN or label, or the vial label it will carry")
  scan?: string;
}

export class CryopreserveDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T10:15:00+09:00',
    description: 'When the vials went into the controlled-rate freezer; at most 5 minutes ahead',
  })
  @IsPastEventTime()
  frozenAt!: string;

  @ApiProperty({ example: 'CryoStor CS10', minLength: 1, maxLength: 200, description: 'Freezing medium' })
  @IsString()
  @Length(1, 200)
  medium!: string;

  @PercentField({ example: 10, optional: true, description: 'DMSO concentration, %' })
  dmsoPct?: number;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    example: ['8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f'],
    description: 'Reagent lots used (cryoprotectant, medium); each must not have expired at frozenAt',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  materialLotIds?: string[];

  @UuidListField({
    maxItems: 20,
    optional: true,
    example: ['3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'],
    description:
      'Equipment used (unknown 404; calibration overdue or failed at frozenAt 422 EQUIPMENT_NOT_QUALIFIED)',
  })
  equipmentIds?: string[];

  @ApiProperty({
    type: [VialToFreezeDto],
    minItems: 1,
    maxItems: MAX_VIALS_PER_FREEZING,
    description: 'One entry per vial, each in its own free position of a box in a liquid-nitrogen tank',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_VIALS_PER_FREEZING)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VialToFreezeDto)
  vials!: VialToFreezeDto[];
}

export class FrozenVialDto extends VialSummaryDto {}

export class CryopreservationResultDto {
  @ApiProperty({ format: 'uuid', example: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9' })
  cryopreservationId!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 20_000_000, description: 'Viable cells drawn from the final harvest' })
  cellsDrawn!: number;

  @ApiProperty({ type: [FrozenVialDto], description: 'status STORED, with nextReviewAt' })
  vials!: FrozenVialDto[];
}
