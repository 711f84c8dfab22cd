import { ApiProperty } from '@nestjs/swagger';
import { IsPastEventTime } from '../../common/validation/past-event.validator';

export class DispatchDoseDto {
  @ApiProperty({ example: '2026-11-24T09:30:00+09:00', description: 'At most 5 minutes ahead' })
  @IsPastEventTime()
  dispatchedAt!: string;
}
