import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, UuidProperty } from '../../common/http/view-properties';
import { PageQuery } from '../../common/pagination/pagination';
import { EnumField, PastTimestampField, TextField, TimestampField } from '../../common/validation/fields';
import { Unqualified } from '../domain/qualification';
import { EQUIPMENT_STEPS, EquipmentStep } from '../equipment-usage.entity';
import { EQUIPMENT_KINDS, EquipmentKind } from '../equipment.entity';

export class CreateEquipmentDto {
  @TextField({ max: 64, notBlank: true, example: 'CC-02', description: 'Unique (409 DUPLICATE)' })
  code!: string;

  @EnumField(EQUIPMENT_KINDS, { enumName: 'EquipmentKind', example: 'CELL_COUNTER' })
  kind!: EquipmentKind;

  @TextField({ max: 200, notBlank: true, example: 'NucleoCounter NC-202' })
  name!: string;

  @TimestampField({
    example: '2027-05-01T00:00:00+09:00',
    description:
      'When its current calibration runs out: from then on it is overdue until a calibration is recorded',
  })
  calibrationDueAt!: string;
}

export class RecordCalibrationDto {
  @PastTimestampField({ example: '2026-11-20T10:00:00+09:00' })
  performedAt!: string;

  @EnumField(['PASS', 'FAIL'], {
    enumName: 'CalibrationResult',
    example: 'PASS',
    description: 'FAIL disqualifies the equipment until a later calibration passes',
  })
  result!: 'PASS' | 'FAIL';

  @TimestampField({ example: '2027-11-20T00:00:00+09:00', description: 'After performedAt (400)' })
  nextDueAt!: string;

  @TextField({ max: 200, notBlank: true, example: 'CAL-2026-0118' })
  certificateRef!: string;
}

export class CalibrationViewDto {
  @UuidProperty()
  id!: string;

  @UuidProperty()
  equipmentId!: string;

  @DateTimeProperty()
  performedAt!: Date;

  @ApiProperty({ enum: ['PASS', 'FAIL'], enumName: 'CalibrationResult' })
  result!: 'PASS' | 'FAIL';

  @DateTimeProperty()
  nextDueAt!: Date;

  @ApiProperty({ example: 'CAL-2026-0118' })
  certificateRef!: string;

  @UuidProperty()
  recordedBy!: string;

  @DateTimeProperty()
  recordedAt!: Date;
}

export class EquipmentViewDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'CC-02' })
  code!: string;

  @ApiProperty({ enum: EQUIPMENT_KINDS, enumName: 'EquipmentKind' })
  kind!: EquipmentKind;

  @ApiProperty({ example: 'NucleoCounter NC-202' })
  name!: string;

  @DateTimeProperty({
    description: 'When its calibration is due now (a failed calibration makes it due at once)',
  })
  calibrationDueAt!: Date;

  @ApiProperty({
    example: true,
    description: 'Fit to use now: its calibration in force passed and is not overdue',
  })
  qualified!: boolean;

  @ApiProperty({
    enum: ['CALIBRATION_OVERDUE', 'CALIBRATION_FAILED', null],
    nullable: true,
    example: null,
    description: 'Why it is not qualified now',
  })
  notQualifiedBecause!: Unqualified | null;

  @ApiProperty({ type: [CalibrationViewDto], description: 'Newest performed first' })
  calibrations!: CalibrationViewDto[];

  @UuidProperty()
  createdBy!: string;

  @DateTimeProperty()
  createdAt!: Date;
}

export class ListEquipmentQuery extends PageQuery {}

export class EquipmentPageDto {
  @ApiProperty({ type: [EquipmentViewDto] })
  items!: EquipmentViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** A step's use of equipment, as the batch's lineage shows it. */
export class EquipmentUseDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'CC-02' })
  code!: string;

  @ApiProperty({ enum: EQUIPMENT_KINDS, enumName: 'EquipmentKind' })
  kind!: EquipmentKind;

  @ApiProperty({ example: 'NucleoCounter NC-202' })
  name!: string;

  @ApiProperty({ enum: EQUIPMENT_STEPS, enumName: 'EquipmentStep' })
  eventType!: EquipmentStep;

  @UuidProperty({
    description: 'The isolation, passage, count, final harvest, QC result or cryopreservation',
  })
  eventId!: string;

  @DateTimeProperty({ description: "The step's time, at which the equipment was judged" })
  usedAt!: Date;

  @UuidProperty({
    nullable: true,
    description: 'The calibration in force then; null before the first recorded here',
  })
  calibrationId!: string | null;

  @DateTimeProperty({ description: 'When its calibration was due, as it stood at the step' })
  calibrationDueAt!: Date;

  @ApiProperty({ example: true, description: 'Always true: unqualified equipment is refused (422)' })
  qualified!: boolean;
}
