/**
 * Cold chain of a fresh cell product: it travels at 2-8 C. A dose that arrives outside that range is still
 * accepted (the clinic decides with QA), but the excursion is recorded on the dose as a deviation.
 */
export const DOSE_TRANSPORT_RANGE_C = { min: 2, max: 8 } as const;

export interface ReceiptDeviation {
  type: 'TEMPERATURE_OUT_OF_RANGE';
  temperatureC: number;
  allowedMinC: number;
  allowedMaxC: number;
}

export function receiptDeviations(temperatureC: number): ReceiptDeviation[] {
  const { min, max } = DOSE_TRANSPORT_RANGE_C;
  if (temperatureC >= min && temperatureC <= max) return [];
  return [{ type: 'TEMPERATURE_OUT_OF_RANGE', temperatureC, allowedMinC: min, allowedMaxC: max }];
}
