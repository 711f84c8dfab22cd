import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { DEVIATION_SEVERITIES, DeviationSeverity } from '../domain/deviation-severity';

export class RecordDeviationDto {
  @ApiProperty({
    example: 'Incubator 3 alarm: CO2 at 3.1 % for 40 minutes during P2',
    minLength: 1,
    maxLength: 5000,
  })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'description must not be blank' })
  description!: string;

  @ApiProperty({ enum: DEVIATION_SEVERITIES, example: 'MINOR' })
  @IsIn(DEVIATION_SEVERITIES)
  severity!: DeviationSeverity;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-18T14:20:00+09:00',
    description: 'When it happened; at most 5 minutes ahead',
  })
  @IsPastEventTime()
  occurredAt!: string;
}
