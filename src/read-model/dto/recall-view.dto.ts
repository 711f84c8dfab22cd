import { ApiProperty } from '@nestjs/swagger';
import { BatchVialDto } from '../../bank/dto/batch-vial.dto';
import type { BatchVialRecord } from '../../bank/vial-records.service';
import { MaterialLotViewDto } from '../../materials/dto/material-lot-view.dto';
import type { RecallBatchRow } from '../recall.repository';

export class RecallEventDto {
  @ApiProperty({ enum: ['ISOLATION', 'PASSAGE', 'DOSE', 'CRYOPRESERVATION'], example: 'ISOLATION' })
  eventType!: string;

  @ApiProperty({ format: 'uuid', example: '6e5d4c3b-2a19-4f8e-9d7c-6b5a49382716' })
  eventId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T01:00:00.000Z' })
  usedAt!: string;
}

export class RecallDoseDto {
  @ApiProperty({ format: 'uuid', example: '8f7e6d5c-4b3a-4291-8f7e-6d5c4b3a2918' })
  id!: string;

  @ApiProperty({ example: 'X999926000001-D01' })
  label!: string;

  @ApiProperty({ example: 'FRESH' })
  kind!: string;

  @ApiProperty({ example: 'ADMINISTERED' })
  status!: string;

  @ApiProperty({ example: 50000000 })
  cells!: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-20T01:00:00.000Z' })
  formulatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-21T01:00:00.000Z' })
  expiresAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-12-20T06:00:00.000Z',
    description: 'A patient to follow up',
  })
  administeredAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'LEFT_KNEE' })
  site!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  recalledAt!: string | null;

  @ApiProperty({ example: false, description: 'The lot went into this dose itself, not only into its batch' })
  madeWithLot!: boolean;
}

export class RecallBatchDto {
  @ApiProperty({ format: 'uuid', example: '5f4e3d2c-1b0a-4998-8776-655443322110' })
  id!: string;

  @ApiProperty({ example: 'X999926000001' })
  din!: string;

  @ApiProperty({ example: 'K' })
  dinCheck!: string;

  @ApiProperty({ example: 'RELEASED' })
  status!: string;

  @ApiProperty({ example: false })
  biohazard!: boolean;

  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  recalledAt!: Date | null;

  @ApiProperty({ type: [RecallEventDto], description: "The batch's events that used the lot" })
  events!: RecallEventDto[];

  @ApiProperty({ type: [RecallDoseDto], description: "The batch's doses, with administrations" })
  doses!: RecallDoseDto[];

  @ApiProperty({
    type: [BatchVialDto],
    description: 'Banked vials of the batch (label, status, position, booster), from the cell bank',
  })
  vials!: BatchVialDto[];
}

export class MaterialLotUsageDto {
  @ApiProperty({ type: MaterialLotViewDto })
  lot!: MaterialLotViewDto;

  @ApiProperty({
    type: [RecallBatchDto],
    description: 'One page of the batches, in order of first use of the lot',
  })
  batches!: RecallBatchDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export function recallBatchView(row: RecallBatchRow, vials: BatchVialRecord[] = []): RecallBatchDto {
  const { id, din, dinCheck, status, biohazard, donorId, donorCode, clinicId, recalledAt, events, doses } =
    row;
  return {
    id,
    din,
    dinCheck,
    status,
    biohazard,
    donorId,
    donorCode,
    clinicId,
    recalledAt,
    events,
    doses,
    vials,
  };
}
