import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { MAX_GRID, StorageKind } from '../domain/storage-hierarchy';

export class CreateStorageUnitDto {
  @ApiProperty({ example: 'LN2 Tank 3', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({
    enum: StorageKind,
    example: StorageKind.BOX,
    description:
      'TANK (liquid-nitrogen vapour) and FREEZER (-80 C) stand at the root; RACK in a TANK or FREEZER; BOX in a RACK, TANK or FREEZER',
  })
  @IsEnum(StorageKind)
  kind!: StorageKind;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c',
    description: 'Required for RACK and BOX; not given for TANK and FREEZER',
  })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 9,
    minimum: 1,
    maximum: MAX_GRID,
    description: 'BOX only (required there)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  rows?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 9,
    minimum: 1,
    maximum: MAX_GRID,
    description: 'BOX only (required there)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  cols?: number;

  @ApiPropertyOptional({
    example: false,
    description: "TANK or FREEZER only (default false); racks and boxes inherit their root's class",
  })
  @IsOptional()
  @IsBoolean()
  biohazard?: boolean;
}

export class FreePositionsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    example: 10,
    minimum: 1,
    maximum: 1000,
    default: 1,
    description: 'How many free positions at most',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  count: number = 1;
}
