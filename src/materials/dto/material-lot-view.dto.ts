import { ApiProperty } from '@nestjs/swagger';
import { MATERIAL_KINDS, MaterialKind, MaterialLotRow } from '../materials.repository';

export class MaterialLotViewDto {
  @ApiProperty({ format: 'uuid', example: '2d6f0a3e-4b1c-4f7e-9a8b-6c5d4e3f2a1b' })
  id!: string;

  @ApiProperty({ enum: MATERIAL_KINDS, example: 'COLLAGENASE' })
  kind!: MaterialKind;

  @ApiProperty({ example: 'Collagenase NB 4G Proved Grade' })
  name!: string;

  @ApiProperty({ example: 'S2611042' })
  lotNumber!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2027-03-31T15:00:00.000Z',
    description:
      'First instant at which the lot is no longer usable (for a label date: the next midnight in FACILITY_TZ)',
  })
  expiresAt!: Date;

  @ApiProperty({ example: false, description: 'Expired now' })
  expired!: boolean;

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:30:00.000Z' })
  createdAt!: Date;
}

export class MaterialLotPageDto {
  @ApiProperty({ type: [MaterialLotViewDto] })
  items!: MaterialLotViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function materialLotView(row: MaterialLotRow, now: Date): MaterialLotViewDto {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    lotNumber: row.lotNumber,
    expiresAt: row.expiresAt,
    expired: now.getTime() >= row.expiresAt.getTime(),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}
