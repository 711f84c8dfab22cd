import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PercentField } from '../../common/validation/fields';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { ScanField } from '../../labels/dto/scan-field';
import { MAX_GRID } from '../domain/storage-hierarchy';

export class MoveVialDto {
  @ApiProperty({
    format: 'uuid',
    example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c',
    description: 'The target box',
  })
  @IsUUID()
  boxId!: string;

  @ApiProperty({
    type: 'integer',
    example: 3,
    minimum: 1,
    maximum: MAX_GRID,
    description: "Within the box's rows",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  row!: number;

  @ApiProperty({
    type: 'integer',
    example: 5,
    minimum: 1,
    maximum: MAX_GRID,
    description: "Within the box's cols",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  col!: number;

  @ApiProperty({ example: 'Consolidating Rack A before tank maintenance', minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ScanField("The vial's label")
  scan?: string;
}

export class ThawVialDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T09:30:00+09:00',
    description: 'At most 5 minutes ahead',
  })
  @IsPastEventTime()
  thawedAt!: string;

  @PercentField({ example: 88.5, description: 'Share of cells alive after thawing, %' })
  postThawViabilityPct!: number;

  @ApiProperty({
    example: 'qa.tanaka@cpc.example',
    description: 'The second person (technician or qa) who witnessed the thaw',
  })
  @IsString()
  @Length(1, 320)
  witnessEmail!: string;

  @ApiProperty({ example: 'witness-own-password', description: "The witness's own password (never stored)" })
  @IsString()
  @Length(1, 1024)
  witnessPassword!: string;

  @ScanField("The vial's label")
  scan?: string;
}

export class DiscardVialDto {
  @ApiProperty({
    example: 'Label unreadable after tank alarm; identity cannot be assured',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
