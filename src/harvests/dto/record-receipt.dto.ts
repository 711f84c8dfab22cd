import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsNumber, Max, Min } from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';

export class RecordReceiptDto {
  @ApiProperty({
    example: '2026-11-24T15:10:00+09:00',
    description:
      'When the CPC received the tissue: not before collectedAt (400), not more than 5 minutes ahead',
  })
  @IsPastEventTime()
  receivedAt!: string;

  @ApiProperty({
    example: 4.5,
    minimum: -100,
    maximum: 100,
    description: 'Temperature at receipt; outside 2-8 C is a recorded deviation',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(-100)
  @Max(100)
  temperatureC!: number;

  @ApiProperty({ example: true, description: 'Container and seal intact; false rejects the tissue' })
  @IsBoolean()
  intact!: boolean;
}
