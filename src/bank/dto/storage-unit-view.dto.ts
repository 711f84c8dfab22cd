import { ApiProperty } from '@nestjs/swagger';
import { StorageKind } from '../domain/storage-hierarchy';
import { FreePositionRow, OccupiedPositionRow, StorageUnitRow } from '../storage-units.repository';
import { LIVE_VIAL_STATUSES } from '../domain/vial-state-machine';

export class StorageUnitSummaryDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  id!: string;

  @ApiProperty({ example: 'Box 12' })
  name!: string;

  @ApiProperty({ enum: StorageKind, example: StorageKind.BOX })
  kind!: StorageKind;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  })
  parentId!: string | null;

  @ApiProperty({
    format: 'uuid',
    example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    description: 'The TANK or FREEZER it stands in',
  })
  rootId!: string;

  @ApiProperty({ enum: [StorageKind.TANK, StorageKind.FREEZER], example: StorageKind.TANK })
  rootKind!: StorageKind;

  @ApiProperty({ example: false, description: "The root's biohazard class (inherited)" })
  biohazard!: boolean;

  @ApiProperty({ type: Number, nullable: true, example: 9 })
  rows!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 9 })
  cols!: number | null;

  @ApiProperty({ example: 'LN2 Tank 3 / Rack A / Box 12', description: 'Names from the root down' })
  path!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:00:00.000Z' })
  createdAt!: Date;
}

export class OccupiedPositionDto {
  @ApiProperty({ example: 1 })
  row!: number;

  @ApiProperty({ example: 3 })
  col!: number;

  @ApiProperty({ format: 'uuid', example: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })
  vialId!: string;

  @ApiProperty({ example: 'X999926000042-V003' })
  label!: string;

  @ApiProperty({ enum: LIVE_VIAL_STATUSES, example: 'STORED' })
  status!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;
}

export class StorageUnitViewDto extends StorageUnitSummaryDto {
  @ApiProperty({ type: [StorageUnitSummaryDto], description: 'Units standing directly in this one' })
  children!: StorageUnitSummaryDto[];

  @ApiProperty({
    type: [OccupiedPositionDto],
    nullable: true,
    description: 'A box: its positions holding a STORED or RESERVED vial; null for other kinds',
  })
  occupiedPositions!: OccupiedPositionDto[] | null;
}

export class FreePositionDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  boxId!: string;

  @ApiProperty({ example: 1 })
  row!: number;

  @ApiProperty({ example: 4 })
  col!: number;
}

export function storageUnitSummary(row: StorageUnitRow): StorageUnitSummaryDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parentId,
    rootId: row.rootId,
    rootKind: row.rootKind,
    biohazard: row.biohazard,
    rows: row.rows,
    cols: row.cols,
    path: row.path,
    createdAt: row.createdAt,
  };
}

export function storageUnitView(
  row: StorageUnitRow,
  children: StorageUnitRow[],
  occupied: OccupiedPositionRow[] | null,
): StorageUnitViewDto {
  return {
    ...storageUnitSummary(row),
    children: children.map(storageUnitSummary),
    occupiedPositions: occupied,
  };
}

export function freePositionView(row: FreePositionRow): FreePositionDto {
  return { boxId: row.boxId, row: row.row, col: row.col };
}
