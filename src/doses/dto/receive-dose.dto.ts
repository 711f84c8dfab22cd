import { ScanField } from '../../labels/dto/scan-field';
import { BooleanField, NumberField, PastTimestampField } from '../../common/validation/fields';

export class ReceiveDoseDto {
  @PastTimestampField({ example: '2026-11-24T11:00:00+09:00' })
  receivedAt!: string;

  @NumberField({
    min: -100,
    max: 100,
    decimals: 2,
    example: 5.5,
    description: 'Temperature on arrival, C; outside 2..8 C the dose is accepted with a recorded deviation',
  })
  temperatureC!: number;

  @BooleanField({
    example: true,
    description: 'false: the dose arrived damaged and is REJECTED (never administered)',
  })
  intact!: boolean;

  @ScanField("The dose's label")
  scan?: string;
}
