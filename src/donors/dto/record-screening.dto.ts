import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { CorrectionFields } from '../../common/corrections/correction';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { ScreeningMarker, ScreeningResult } from '../domain/screening-status';

/**
 * One infectious-disease marker's result. A correction (`correctsId`, `reason`) repeats the marker of the
 * entry it corrects; a REACTIVE result is corrected only by a `qa` user (out-of-specification investigation).
 */
export class RecordScreeningDto extends CorrectionFields {
  @ApiProperty({ enum: ScreeningMarker, example: ScreeningMarker.HBV })
  @IsEnum(ScreeningMarker)
  marker!: ScreeningMarker;

  @ApiProperty({ enum: ScreeningResult, example: ScreeningResult.NEGATIVE })
  @IsEnum(ScreeningResult)
  result!: ScreeningResult;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-18T14:00:00+09:00',
    description: 'When the sample was tested',
  })
  @IsPastEventTime()
  testedAt!: string;
}
