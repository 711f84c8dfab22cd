import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, UuidProperty } from '../../common/http/view-properties';
import { HarvestStatus, ReceiptDeviationCode, transitHoursBetween } from '../domain/receipt-assessment';
import { HarvestEntity, Tissue, TISSUES } from '../harvest.entity';

export class ReceiptDeviationDto {
  @ApiProperty({ enum: ReceiptDeviationCode, example: ReceiptDeviationCode.TEMPERATURE_OUT_OF_RANGE })
  code!: ReceiptDeviationCode;

  @ApiProperty({ example: 'Received at 9.5 C, outside 2-8 C' })
  message!: string;

  @ApiProperty({ example: 9.5 })
  temperatureC!: number;

  @ApiProperty({ example: 2 })
  minC!: number;

  @ApiProperty({ example: 8 })
  maxC!: number;
}

export class HarvestViewDto {
  @UuidProperty({ example: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' })
  id!: string;

  @UuidProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @UuidProperty({ example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ enum: TISSUES, example: 'ADIPOSE' })
  tissue!: Tissue;

  @ApiProperty({ example: 20 })
  volumeMl!: number;

  @DateTimeProperty({ example: '2026-11-24T00:30:00.000Z' })
  collectedAt!: Date;

  @UuidProperty({ example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  collectedBy!: string;

  @ApiProperty({ enum: ['COLLECTED', 'RECEIVED', 'REJECTED'], example: 'RECEIVED' })
  status!: HarvestStatus;

  @DateTimeProperty({ nullable: true, example: '2026-11-24T06:10:00.000Z' })
  receivedAt!: Date | null;

  @UuidProperty({ nullable: true, example: '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d' })
  receivedBy!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.5 })
  temperatureC!: number | null;

  @ApiProperty({ type: Boolean, nullable: true, example: true })
  intact!: boolean | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 5.67,
    description: 'Hours from collection to receipt',
  })
  transitHours!: number | null;

  @ApiProperty({
    type: [ReceiptDeviationDto],
    description: 'Deviations recorded at receipt (the tissue was accepted)',
  })
  deviations!: ReceiptDeviationDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the tissue was rejected at receipt',
  })
  rejectionReason!: string | null;

  @DateTimeProperty({ example: '2026-11-24T00:35:00.000Z' })
  createdAt!: Date;
}

/** The view of a harvest; the donor's code comes from the donors module. */
export function harvestView(row: HarvestEntity, donorCode: string): HarvestViewDto {
  return {
    id: row.id,
    donorId: row.donorId,
    donorCode,
    clinicId: row.clinicId,
    tissue: row.tissue,
    volumeMl: row.volumeMl,
    collectedAt: row.collectedAt,
    collectedBy: row.collectedBy,
    status: row.status,
    receivedAt: row.receivedAt,
    receivedBy: row.receivedBy,
    temperatureC: row.temperatureC,
    intact: row.intact,
    transitHours: row.receivedAt ? transitHoursBetween(row.collectedAt, row.receivedAt) : null,
    deviations: row.deviations,
    rejectionReason: row.rejectionReason,
    createdAt: row.createdAt,
  };
}
