import { ScanField } from '../../labels/dto/scan-field';
import { PastTimestampField } from '../../common/validation/fields';

export class DispatchDoseDto {
  @PastTimestampField({ example: '2026-11-24T09:30:00+09:00' })
  dispatchedAt!: string;

  @ScanField("The dose's label")
  scan?: string;
}
