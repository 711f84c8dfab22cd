import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, NullableObjectProperty, UuidProperty } from '../../common/http/view-properties';
import { AdverseEventViewDto } from '../../vigilance/dto/adverse-event.dto';

export class LookbackAdministrationDto {
  @DateTimeProperty()
  administeredAt!: Date;

  @ApiProperty({ enum: ['LEFT_KNEE', 'RIGHT_KNEE'], nullable: true })
  site!: string | null;

  @ApiProperty({
    example: 'P-7KQ2M9',
    description: "The patient's code (the donor's: the cells are autologous)",
  })
  patientCode!: string;

  @UuidProperty()
  clinicId!: string;
}

export class LookbackDoseDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'X999926000042-D02' })
  label!: string;

  @ApiProperty({ enum: ['FRESH', 'BOOSTER'] })
  kind!: string;

  @ApiProperty({ example: 'ADMINISTERED' })
  status!: string;

  @NullableObjectProperty(LookbackAdministrationDto, 'Who received it and where; null if not administered')
  administration!: LookbackAdministrationDto | null;
}

export class LookbackLotDto {
  @UuidProperty()
  lotId!: string;

  @ApiProperty({ example: 'COLLAGENASE' })
  kind!: string;

  @ApiProperty({ example: 'Collagenase NB 4' })
  name!: string;

  @ApiProperty({ example: 'C-2026-117' })
  lotNumber!: string;
}

export class LookbackBatchDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @ApiProperty({ example: 'RELEASED' })
  status!: string;

  @UuidProperty()
  clinicId!: string;
}

export class SharedLotBatchDto extends LookbackBatchDto {
  @ApiProperty({
    type: [LookbackLotDto],
    description: 'The material lots it shares with the batch of the dose',
  })
  sharedLots!: LookbackLotDto[];

  @ApiProperty({ type: [LookbackDoseDto] })
  doses!: LookbackDoseDto[];
}

export class LookbackVialDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'X999926000042-V003' })
  label!: string;

  @ApiProperty({ enum: ['STORED', 'RESERVED'] })
  status!: string;

  @ApiProperty({ example: 'LN2-1 / Rack A / Box 3' })
  boxPath!: string;

  @ApiProperty({
    example: true,
    description: 'On hold by any source (this suspected infection, an excursion)',
  })
  held!: boolean;
}

export class LookbackDto {
  @NullableObjectProperty(LookbackBatchDto, "The dose's batch; null when the event names no dose")
  batch!: LookbackBatchDto | null;

  @ApiProperty({ type: [LookbackDoseDto], description: 'The batch’s other doses' })
  otherDoses!: LookbackDoseDto[];

  @ApiProperty({
    type: [SharedLotBatchDto],
    description:
      "Every other batch that used any of the batch's material lots (a doctor: their clinic's only)",
  })
  sharedLotBatches!: SharedLotBatchDto[];

  @ApiProperty({ type: [LookbackVialDto], description: 'The vials of the batch still in the bank' })
  bankedVials!: LookbackVialDto[];
}

export class AdverseEventWithLookbackDto extends AdverseEventViewDto {
  @ApiProperty({ type: LookbackDto })
  lookback!: LookbackDto;
}
