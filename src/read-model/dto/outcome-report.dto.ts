import { ApiProperty } from '@nestjs/swagger';
import { IntegerProperty } from '../../common/http/view-properties';
import { TimestampField, UuidField } from '../../common/validation/fields';

export class OutcomeReportQuery {
  @TimestampField({ example: '2026-01-01T00:00:00Z', description: 'Knees first injected at or after this' })
  from!: string;

  @TimestampField({ example: '2027-01-01T00:00:00Z', description: 'and before this' })
  to!: string;

  @UuidField({ optional: true, description: "One clinic (a doctor's own, which is the default for them)" })
  clinicId?: string;
}

export class OutcomeMonthDto {
  @IntegerProperty({
    example: 12,
    description: 'Knees with a follow-up counted for this month, judged against a baseline',
  })
  assessed!: number;

  @IntegerProperty({ example: 8, description: 'OMERACT-OARSI responders among them' })
  responders!: number;

  @ApiProperty({ type: Number, nullable: true, example: 52.5 })
  medianVasReductionPct!: number | null;
}

export class OutcomeGroupDto extends OutcomeMonthDto {
  @IntegerProperty({ example: 15, description: 'Treated knees in the group' })
  knees!: number;
}

export class OutcomeByMonthDto {
  @ApiProperty({ type: OutcomeMonthDto })
  '3'!: OutcomeMonthDto;
  @ApiProperty({ type: OutcomeMonthDto })
  '6'!: OutcomeMonthDto;
  @ApiProperty({ type: OutcomeMonthDto })
  '12'!: OutcomeMonthDto;
  @ApiProperty({ type: OutcomeMonthDto })
  '24'!: OutcomeMonthDto;
}

export class OutcomeByGradeDto {
  @ApiProperty({ type: OutcomeGroupDto })
  '0'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '1'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '2'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '3'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '4'!: OutcomeGroupDto;
}

export class OutcomeByCellsDto {
  @ApiProperty({ type: OutcomeGroupDto })
  '<100M'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '100-200M'!: OutcomeGroupDto;
  @ApiProperty({ type: OutcomeGroupDto })
  '>200M'!: OutcomeGroupDto;
}

export class OutcomeReportDto {
  @ApiProperty({ type: String, format: 'date-time' })
  from!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  to!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  clinicId!: string | null;

  @IntegerProperty({ example: 40, description: 'Knees whose first injection fell in [from, to)' })
  treatedKnees!: number;

  @ApiProperty({
    type: OutcomeByMonthDto,
    description: 'Per follow-up month: each knee counted once per month',
  })
  byMonth!: OutcomeByMonthDto;

  @ApiProperty({
    type: OutcomeByGradeDto,
    description:
      'Per Kellgren-Lawrence grade before the first injection, judged at each knee latest follow-up',
  })
  byKellgrenLawrence!: OutcomeByGradeDto;

  @ApiProperty({ type: OutcomeByCellsDto, description: 'Per cells the first injection gave the knee' })
  byCellsPerKnee!: OutcomeByCellsDto;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 26.4,
    description: 'Median months from a knee first injection to its first booster dose (30.44-day months)',
  })
  medianMonthsToBooster!: number | null;
}
