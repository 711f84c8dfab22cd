import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsNumber, Max, Min } from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';

export class ReceiveDoseDto {
  @ApiProperty({ example: '2026-11-24T11:00:00+09:00', description: 'At most 5 minutes ahead' })
  @IsPastEventTime()
  receivedAt!: string;

  @ApiProperty({
    example: 5.5,
    minimum: -100,
    maximum: 100,
    description: 'Temperature on arrival, C; outside 2..8 C the dose is accepted with a recorded deviation',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(-100)
  @Max(100)
  temperatureC!: number;

  @ApiProperty({
    example: true,
    description: 'false: the dose arrived damaged and is REJECTED (never administered)',
  })
  @IsBoolean()
  intact!: boolean;
}
