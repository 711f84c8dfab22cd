import { BatchVialDto } from '../../bank/dto/batch-vial.dto';
import { ReceiptDeviationDto } from '../../harvests/dto/harvest-view.dto';
import { NullableObjectProperty } from '../../common/http/view-properties';
import { EquipmentUseDto } from '../../environment/dto/equipment.dto';
import { ApiProperty } from '@nestjs/swagger';
import { BatchSummaryDto, DecisionViewDto, QcResultViewDto } from '../../batches/dto/batch-view.dto';

const DATE_TIME = { type: String, format: 'date-time' } as const;
const UUID = { type: String, format: 'uuid' } as const;

export class LineageDonorDto {
  @ApiProperty({ ...UUID, example: '6c7d8e9f-0a1b-4c2d-8e3f-4a5b6c7d8e9f' })
  id!: string;

  @ApiProperty({ example: 'D-7K3M9QXA', description: "The patient's code: no personal data" })
  code!: string;

  @ApiProperty({ ...UUID, example: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a' })
  clinicId!: string;

  @ApiProperty({ enum: ['PENDING', 'NEGATIVE', 'REACTIVE'], example: 'NEGATIVE' })
  screeningStatus!: string;
}

export class LineageHarvestDto {
  @ApiProperty({ ...UUID, example: '8e9f0a1b-2c3d-4e4f-8a5b-6c7d8e9f0a1b' })
  id!: string;

  @ApiProperty({ example: 'ADIPOSE' })
  tissue!: string;

  @ApiProperty({ example: 20 })
  volumeMl!: number;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T01:00:00.000Z' })
  collectedAt!: Date;

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  collectedBy!: string;

  @ApiProperty({ example: 'RECEIVED' })
  status!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: '2026-11-01T09:00:00.000Z' })
  receivedAt!: Date | null;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  receivedBy!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.5 })
  temperatureC!: number | null;

  @ApiProperty({ type: Boolean, nullable: true, example: true })
  intact!: boolean | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  rejectionReason!: string | null;

  @ApiProperty({ type: [ReceiptDeviationDto], description: 'Deviations recorded at receipt' })
  deviations!: ReceiptDeviationDto[];
}

export class LineageEventDto {
  @ApiProperty({ enum: ['ISOLATION', 'PASSAGE', 'CELL_COUNT', 'FINAL_HARVEST'], example: 'PASSAGE' })
  type!: string;

  @ApiProperty({ ...UUID, example: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f' })
  id!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:00:00.000Z', description: 'When the step happened' })
  at!: Date;

  @ApiProperty({ type: Number, nullable: true, example: 1 })
  passageNumber!: number | null;

  @ApiProperty({
    example: 1_600_000,
    description: 'Cells plated (isolation), harvested (passage, final harvest) or counted',
  })
  totalCells!: number;

  @ApiProperty({ example: 94 })
  viabilityPct!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { cellsSeeded: 400_000 },
    description: 'Fields of this kind of step',
  })
  details!: Record<string, unknown>;

  @ApiProperty({
    example: false,
    description: 'A later entry corrects this one: it no longer counts, and stays on the record',
  })
  superseded!: boolean;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  supersededBy!: string | null;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  correctsId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  recordedBy!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-07T00:01:00.000Z' })
  recordedAt!: Date;
}

export class MaterialLotUseDto {
  @ApiProperty({ ...UUID, example: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })
  lotId!: string;

  @ApiProperty({ example: 'COLLAGENASE' })
  kind!: string;

  @ApiProperty({ example: 'Collagenase NB 4' })
  name!: string;

  @ApiProperty({ example: 'L2026-0042' })
  lotNumber!: string;

  @ApiProperty({ ...DATE_TIME, example: '2027-03-31T15:00:00.000Z' })
  expiresAt!: Date;

  @ApiProperty({ enum: ['ISOLATION', 'PASSAGE', 'DOSE', 'CRYOPRESERVATION'], example: 'ISOLATION' })
  eventType!: string;

  @ApiProperty({ ...UUID, example: '0c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f' })
  eventId!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-02T01:15:00.000Z' })
  usedAt!: Date;
}

export class LineageDeviationDto {
  @ApiProperty({ ...UUID, example: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' })
  id!: string;

  @ApiProperty({ example: 'Incubator door left open for 10 minutes' })
  description!: string;

  @ApiProperty({ enum: ['MINOR', 'MAJOR', 'CRITICAL'], example: 'MINOR' })
  severity!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-05T02:00:00.000Z' })
  occurredAt!: Date;

  @ApiProperty({ enum: ['OPEN', 'CLOSED'], example: 'CLOSED' })
  status!: string;

  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  openedBy!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-05T02:10:00.000Z' })
  openedAt!: Date;

  @ApiProperty({ ...UUID, nullable: true, example: null })
  closedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  closedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  resolution!: string | null;
}

export class DoseAdministrationDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-25T02:00:00.000Z' })
  administeredAt!: Date;

  @ApiProperty({ enum: ['LEFT_KNEE', 'RIGHT_KNEE'], example: 'LEFT_KNEE' })
  site!: string | null;

  @ApiProperty({
    example: 'D-7K3M9QXA',
    description: "The patient's code (the donor's: the cells are the patient's own)",
  })
  patientCode!: string;

  @ApiProperty({ ...UUID, nullable: true, example: '4a5b6c7d-8e9f-4a0b-b1c2-d3e4f5a6b7c8' })
  administeredBy!: string | null;
}

export class LineageDoseDto {
  @ApiProperty({ ...UUID, example: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ example: 'X999926000123-D01' })
  label!: string;

  @ApiProperty({ enum: ['FRESH', 'BOOSTER'], example: 'FRESH' })
  kind!: string;

  @ApiProperty({ example: 'ADMINISTERED' })
  status!: string;

  @ApiProperty({ example: 50_000_000 })
  cells!: number;

  @ApiProperty({ example: 3 })
  volumeMl!: number;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T04:00:00.000Z' })
  formulatedAt!: Date;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-26T00:30:00.000Z' })
  expiresAt!: Date;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  dispatchedAt!: Date | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  receivedAt!: Date | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  recalledAt!: Date | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  destroyedAt!: Date | null;

  @NullableObjectProperty(DoseAdministrationDto)
  administration!: DoseAdministrationDto | null;
}

export class LineageDto {
  @ApiProperty({ type: BatchSummaryDto })
  batch!: BatchSummaryDto;

  @ApiProperty({ type: LineageDonorDto })
  donor!: LineageDonorDto;

  @ApiProperty({ type: LineageHarvestDto })
  harvest!: LineageHarvestDto;

  @ApiProperty({
    type: [LineageEventDto],
    description: 'Every processing step in time order, superseded entries included and marked',
  })
  events!: LineageEventDto[];

  @ApiProperty({ type: [MaterialLotUseDto] })
  materialLots!: MaterialLotUseDto[];

  @ApiProperty({ type: [QcResultViewDto] })
  qcResults!: QcResultViewDto[];

  @ApiProperty({ type: [LineageDeviationDto] })
  deviations!: LineageDeviationDto[];

  @NullableObjectProperty(DecisionViewDto)
  decision!: DecisionViewDto | null;

  @ApiProperty({ type: [LineageDoseDto] })
  doses!: LineageDoseDto[];

  @ApiProperty({
    type: [BatchVialDto],
    description: 'Cryopreserved vials with their boosters',
  })
  vials!: BatchVialDto[];

  @ApiProperty({
    type: [EquipmentUseDto],
    description: "Equipment the steps used, with its calibration as it stood at each step's time",
  })
  equipment!: EquipmentUseDto[];
}
