import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Length } from 'class-validator';

export class ReconcileBoxDto {
  @ApiProperty({
    format: 'uuid',
    example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c',
    description: 'The box checked',
  })
  @IsUUID()
  boxId!: string;

  @ApiProperty({
    type: [String],
    example: ['X999926000042-V001', 'X999926000042-V002'],
    description: 'Every label read in the box (0..400; a box holds at most 20 x 20)',
  })
  @IsArray()
  @ArrayMaxSize(400)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  scannedLabels!: string[];
}

export class MisplacedVialDto {
  @ApiProperty({ example: 'X999926000042-V007' })
  label!: string;

  @ApiProperty({ format: 'uuid', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  recordedBoxId!: string;

  @ApiProperty({ example: 4 })
  recordedRow!: number;

  @ApiProperty({ example: 2 })
  recordedCol!: number;
}

export class ReconciliationResultDto {
  @ApiProperty({
    format: 'uuid',
    example: '8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b',
    description: 'The saved record of this check',
  })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  boxId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:00:00.000Z' })
  performedAt!: Date;

  @ApiProperty({
    type: [String],
    example: ['X999926000042-V001'],
    description: 'Scanned here and recorded here',
  })
  matched!: string[];

  @ApiProperty({ type: [String], example: ['X999926000042-V002'], description: 'Recorded here, not scanned' })
  missing!: string[];

  @ApiProperty({
    type: [String],
    example: ['X999926000099-V001'],
    description: 'Scanned here, but no vial in the tanks carries the label (unknown, thawed or discarded)',
  })
  unexpected!: string[];

  @ApiProperty({ type: [MisplacedVialDto], description: 'Scanned here, recorded elsewhere' })
  misplaced!: MisplacedVialDto[];
}
