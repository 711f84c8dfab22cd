import { NullableObjectProperty } from '../../common/http/view-properties';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { NumberField } from '../../common/validation/fields';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { DoseViewDto } from '../../doses/dto/dose-view.dto';
import { BoosterRow } from '../boosters.repository';
import { VialRow } from '../vials.repository';
import { vialSummary, VialSummaryDto } from './vial-view.dto';

export class RequestBoosterDto {
  @ApiProperty({
    format: 'uuid',
    example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    description: "A donor of the doctor's clinic",
  })
  @IsUUID()
  donorId!: string;

  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'],
    description: 'STORED vials of the donor, all from one released batch (1..20)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  vialIds!: string[];
}

export class FormulateBoosterDoseDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T11:00:00+09:00',
    description: 'At most 5 minutes ahead; not before the last thaw',
  })
  @IsPastEventTime()
  formulatedAt!: string;

  @NumberField({
    example: 2.5,
    min: 0.01,
    max: 500,
    decimals: 2,
    description: 'Volume in the syringe, mL (two decimals)',
  })
  volumeMl!: number;
}

export class BoosterVialDto extends VialSummaryDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  thawedAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  postThawViabilityPct!: number | null;
}

export class BoosterViewDto {
  @ApiProperty({ format: 'uuid', example: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a' })
  id!: string;

  @ApiProperty({ enum: ['REQUESTED', 'FORMULATED'], example: 'REQUESTED' })
  status!: string;

  @ApiProperty({ format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @ApiProperty({ format: 'uuid', example: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a' })
  requestedBy!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:00:00.000Z' })
  requestedAt!: Date;

  @ApiProperty({ type: [BoosterVialDto] })
  vials!: BoosterVialDto[];

  @NullableObjectProperty(DoseViewDto, 'The booster dose once formulated')
  dose!: DoseViewDto | null;
}

export function boosterView(
  row: BoosterRow,
  vials: readonly VialRow[],
  dose: DoseViewDto | null,
): BoosterViewDto {
  return {
    id: row.id,
    status: row.status,
    donorId: row.donorId,
    donorCode: row.donorCode,
    clinicId: row.clinicId,
    batchId: row.batchId,
    din: row.din,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    vials: vials.map((vial) => ({
      ...vialSummary(vial),
      thawedAt: vial.thawedAt,
      postThawViabilityPct: vial.postThawViabilityPct,
    })),
    dose,
  };
}
