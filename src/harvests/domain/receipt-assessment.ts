/**
 * Acceptance of tissue at the CPC (GMP incoming inspection). Fat tissue for ADSC culture is shipped chilled at
 * 2-8 C and must be processed within 48 hours of collection; a broken or leaking container is never used.
 */
export const RECEIPT_TEMPERATURE_MIN_C = 2;
export const RECEIPT_TEMPERATURE_MAX_C = 8;
export const MAX_TRANSIT_HOURS = 48;

const HOUR_MS = 3_600_000;

export type HarvestStatus = 'COLLECTED' | 'RECEIVED' | 'REJECTED';

export enum ReceiptDeviationCode {
  TEMPERATURE_OUT_OF_RANGE = 'TEMPERATURE_OUT_OF_RANGE',
}

export enum RejectionCode {
  NOT_INTACT = 'NOT_INTACT',
  TRANSIT_TOO_LONG = 'TRANSIT_TOO_LONG',
}

/** Something outside the acceptance range that does not reject the tissue but must be on the record. */
export interface ReceiptDeviation {
  code: ReceiptDeviationCode;
  message: string;
  temperatureC: number;
  minC: number;
  maxC: number;
}

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export interface ReceiptInput {
  collectedAt: Date;
  receivedAt: Date;
  temperatureC: number;
  intact: boolean;
}

export interface ReceiptAssessment {
  status: 'RECEIVED' | 'REJECTED';
  rejections: Rejection[];
  deviations: ReceiptDeviation[];
  transitHours: number;
}

/** The caller has made sure the tissue was not received before it was collected. */
export function assessReceipt(input: ReceiptInput): ReceiptAssessment {
  const transitHours = transitHoursBetween(input.collectedAt, input.receivedAt);
  const rejections: Rejection[] = [];
  if (!input.intact)
    rejections.push({ code: RejectionCode.NOT_INTACT, message: 'The container was not intact' });
  // Exactly 48 h is still within the limit: "over 48 h" rejects.
  if (input.receivedAt.getTime() - input.collectedAt.getTime() > MAX_TRANSIT_HOURS * HOUR_MS) {
    rejections.push({
      code: RejectionCode.TRANSIT_TOO_LONG,
      message: `Received ${transitHours} h after collection, over the ${MAX_TRANSIT_HOURS} h limit`,
    });
  }
  const deviations: ReceiptDeviation[] = [];
  if (input.temperatureC < RECEIPT_TEMPERATURE_MIN_C || input.temperatureC > RECEIPT_TEMPERATURE_MAX_C) {
    deviations.push({
      code: ReceiptDeviationCode.TEMPERATURE_OUT_OF_RANGE,
      message: `Received at ${input.temperatureC} C, outside ${RECEIPT_TEMPERATURE_MIN_C}-${RECEIPT_TEMPERATURE_MAX_C} C`,
      temperatureC: input.temperatureC,
      minC: RECEIPT_TEMPERATURE_MIN_C,
      maxC: RECEIPT_TEMPERATURE_MAX_C,
    });
  }
  return { status: rejections.length > 0 ? 'REJECTED' : 'RECEIVED', rejections, deviations, transitHours };
}

/** Hours between collection and receipt, to two decimals (for people reading the record). */
export function transitHoursBetween(collectedAt: Date, receivedAt: Date): number {
  return Math.round(((receivedAt.getTime() - collectedAt.getTime()) / HOUR_MS) * 100) / 100;
}
