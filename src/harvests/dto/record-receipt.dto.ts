import { ScanField } from '../../labels/dto/scan-field';
import { BooleanField, NumberField, PastTimestampField } from '../../common/validation/fields';

export class RecordReceiptDto {
  @PastTimestampField({
    example: '2026-11-24T15:10:00+09:00',
    description: 'When the CPC received the tissue: not before collectedAt (400)',
  })
  receivedAt!: string;

  @NumberField({
    min: -100,
    max: 100,
    decimals: 2,
    example: 4.5,
    description: 'Temperature at receipt, C; outside 2-8 C is a recorded deviation',
  })
  temperatureC!: number;

  @BooleanField({ example: true, description: 'Container and seal intact; false rejects the tissue' })
  intact!: boolean;

  @ScanField("The harvest's label (its id)")
  scan?: string;
}
