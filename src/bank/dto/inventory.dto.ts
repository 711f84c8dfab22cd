import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { LIVE_VIAL_STATUSES } from '../domain/vial-state-machine';

export class InventoryQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only this clinic's donors (a doctor always sees only their own)",
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this donor (listed even with nothing banked)' })
  @IsOptional()
  @IsUUID()
  donorId?: string;
}

export class InventoryVialDto {
  @ApiProperty({ format: 'uuid', example: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })
  id!: string;

  @ApiProperty({ example: 'X999926000042-V001' })
  label!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @ApiProperty({ enum: LIVE_VIAL_STATUSES, example: 'STORED' })
  status!: string;

  @ApiProperty({ example: 5_000_000 })
  cells!: number;

  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  boxId!: string;

  @ApiProperty({ example: 'LN2 Tank 3 / Rack A / Box 12' })
  boxPath!: string;

  @ApiProperty({ example: 1 })
  row!: number;

  @ApiProperty({ example: 1 })
  col!: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:00:00.000Z' })
  frozenAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-11-24T00:00:00.000Z' })
  nextReviewAt!: Date;
}

export class DonorInventoryDto {
  @ApiProperty({ format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ example: 4, description: 'Vials in the tanks (STORED or RESERVED)' })
  vialCount!: number;

  @ApiProperty({ example: 20_000_000, description: 'Viable cells in those vials' })
  cellsBanked!: number;

  @ApiProperty({
    example: 15_000_000,
    description: 'Viable cells in STORED vials (not reserved for a booster)',
  })
  cellsAvailable!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2027-11-24T00:00:00.000Z' })
  nextReviewAt!: Date | null;

  @ApiProperty({ type: [InventoryVialDto], description: 'Soonest review first' })
  vials!: InventoryVialDto[];
}

export class InventoryPageDto {
  @ApiProperty({ type: [DonorInventoryDto] })
  items!: DonorInventoryDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}
