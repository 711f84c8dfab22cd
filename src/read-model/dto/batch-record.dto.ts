import { ApiProperty } from '@nestjs/swagger';
import { BatchSummaryDto, DecisionViewDto, QcResultViewDto } from '../../batches/dto/batch-view.dto';
import { IntegerProperty, NullableObjectProperty } from '../../common/http/view-properties';
import { EquipmentUseDto } from '../../environment/dto/equipment.dto';
import {
  LineageDeviationDto,
  LineageDonorDto,
  LineageDoseDto,
  LineageEventDto,
  LineageHarvestDto,
  MaterialLotUseDto,
} from './lineage-view.dto';

const DATE_TIME = { type: String, format: 'date-time' } as const;
const UUID = { type: String, format: 'uuid' } as const;

export class RecordFacilityDto {
  @ApiProperty({ example: 'Tokyo Cell Processing Center', description: 'FACILITY_NAME' })
  name!: string;

  @ApiProperty({ example: 'X9999', description: 'The facility identification number in every DIN' })
  fin!: string;

  @ApiProperty({ example: 'Asia/Tokyo', description: 'The zone the PDF prints times in' })
  timeZone!: string;
}

export class RecordClinicDto {
  @ApiProperty({ ...UUID, example: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a' })
  id!: string;

  @ApiProperty({ example: 'SAKURA' })
  code!: string;

  @ApiProperty({ example: 'さくら整形外科クリニック' })
  name!: string;
}

export class RecordDonorDto extends LineageDonorDto {
  @ApiProperty({ type: RecordClinicDto })
  clinic!: RecordClinicDto;
}

export class RecordPersonDto {
  @ApiProperty({ ...UUID, example: '3f4a5b6c-7d8e-4f90-a1b2-c3d4e5f6a7b8' })
  id!: string;

  @ApiProperty({ example: 'Aiko Tanaka', description: 'The printed name the record shows for this user id' })
  name!: string;

  @ApiProperty({ example: 'technician' })
  role!: string;
}

export class CustodyHandOffDto {
  @ApiProperty({ ...DATE_TIME, example: '2026-11-01T09:00:00.000Z' })
  at!: Date;

  @ApiProperty({
    enum: [
      'TISSUE_RECEIVED',
      'VIAL_FROZEN',
      'VIAL_MOVED',
      'VIAL_THAWED',
      'DOSE_DISPATCHED',
      'DOSE_RECEIVED',
      'DOSE_ADMINISTERED',
    ],
    example: 'TISSUE_RECEIVED',
  })
  event!: string;

  @ApiProperty({ example: 'X999926000123-D01', description: 'The label (or DIN) of what changed hands' })
  item!: string;

  @ApiProperty({ ...UUID, nullable: true, example: null, description: 'Who took it, when recorded' })
  by!: string | null;

  @ApiProperty({
    example: false,
    description: "Whether a scan of the item's label, recorded with the hand-off, confirmed it",
  })
  verified!: boolean;
}

export class CustodySummaryDto {
  @ApiProperty({ example: 7, description: 'Hand-offs on the record' })
  handOffs!: number;

  @ApiProperty({ example: 5, description: 'Of them, those a scan of the label confirmed' })
  verified!: number;
}

export class RecordVialPositionDto {
  @ApiProperty({ ...UUID, example: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b' })
  boxId!: string;

  @ApiProperty({ example: 'Tank 1 / Rack A / Box 3' })
  boxPath!: string;

  @IntegerProperty({ example: 1 })
  row!: number;

  @IntegerProperty({ example: 1 })
  col!: number;
}

export class RecordVialBoosterDoseDto {
  @ApiProperty({ ...UUID, example: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty({ example: 'X999926000123-B01' })
  label!: string;

  @ApiProperty({ example: 'FORMULATED' })
  status!: string;
}

export class RecordVialBoosterDto {
  @ApiProperty({ ...UUID, example: '9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' })
  id!: string;

  @ApiProperty({ example: 'THAWED' })
  status!: string;

  @ApiProperty({ ...DATE_TIME, example: '2027-05-01T01:00:00.000Z' })
  requestedAt!: Date;

  @NullableObjectProperty(RecordVialBoosterDoseDto, 'The booster dose made from the vial, if any')
  dose!: RecordVialBoosterDoseDto | null;
}

export class RecordVialDto {
  @ApiProperty({ ...UUID, example: '8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e' })
  id!: string;

  @ApiProperty({ example: 'X999926000123-V001' })
  label!: string;

  @ApiProperty({ example: 'STORED' })
  status!: string;

  @IntegerProperty({ example: 5_000_000 })
  cells!: number;

  @ApiProperty({ type: RecordVialPositionDto, description: 'Where it stands, or stood last' })
  position!: RecordVialPositionDto;

  @ApiProperty({ example: true })
  inTank!: boolean;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-24T05:00:00.000Z' })
  frozenAt!: Date;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  thawedAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  postThawViabilityPct!: number | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, example: null })
  discardedAt!: Date | null;

  @NullableObjectProperty(RecordVialBoosterDto, 'The booster the vial was thawed for, if any')
  booster!: RecordVialBoosterDto | null;
}

export class BatchRecordDto {
  @ApiProperty({
    example: '5b0e4f0d9a7c2d3e1f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e',
    description: 'SHA-256 (hex) of the canonical JSON of every field here but documentHash and generatedAt',
  })
  documentHash!: string;

  @ApiProperty({ ...DATE_TIME, example: '2026-11-30T01:00:00.000Z' })
  generatedAt!: Date;

  @ApiProperty({ type: RecordFacilityDto })
  facility!: RecordFacilityDto;

  @ApiProperty({ type: BatchSummaryDto })
  batch!: BatchSummaryDto;

  @ApiProperty({ type: RecordDonorDto })
  donor!: RecordDonorDto;

  @ApiProperty({ type: LineageHarvestDto })
  harvest!: LineageHarvestDto;

  @ApiProperty({
    type: [LineageEventDto],
    description: 'Every step in time order, corrected entries included',
  })
  steps!: LineageEventDto[];

  @ApiProperty({ type: [MaterialLotUseDto] })
  materials!: MaterialLotUseDto[];

  @ApiProperty({ type: [EquipmentUseDto] })
  equipment!: EquipmentUseDto[];

  @ApiProperty({ type: [QcResultViewDto], description: 'Every QC result, with the limits applied to it' })
  qc!: QcResultViewDto[];

  @ApiProperty({ type: [LineageDeviationDto] })
  deviations!: LineageDeviationDto[];

  @NullableObjectProperty(DecisionViewDto, 'The signed decision; null until QA decides')
  decision!: DecisionViewDto | null;

  @ApiProperty({ type: [LineageDoseDto] })
  doses!: LineageDoseDto[];

  @ApiProperty({ type: [RecordVialDto], description: 'Cryopreserved vials with their boosters' })
  vials!: RecordVialDto[];

  @ApiProperty({ type: [CustodyHandOffDto], description: 'Every hand-off, oldest first' })
  custody!: CustodyHandOffDto[];

  @ApiProperty({ type: CustodySummaryDto })
  custodySummary!: CustodySummaryDto;

  @ApiProperty({
    type: [RecordPersonDto],
    description: 'The printed names of everyone the record names by id',
  })
  people!: RecordPersonDto[];
}

/** The record as data: what the hash covers (everything but the hash and the time it was generated). */
export type BatchRecordData = Omit<BatchRecordDto, 'documentHash' | 'generatedAt'>;
