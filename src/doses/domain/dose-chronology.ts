import { validationFailed } from '../../common/validation/validation';

/** A moment a dose's new step must not precede, and what it was. */
export interface EarlierEvent {
  what: string;
  at: Date | null;
}

/**
 * A dose's steps follow one another in time (ALCOA+: a record must be accurate): it is not dispatched before
 * it was formulated, nor given before it arrived. Paper records may be back-entered, so only the order is
 * checked. Like the batch's own steps, a contradiction is 400 naming the field.
 */
export function assertNotBefore(field: string, at: Date, earlier: readonly EarlierEvent[]): void {
  for (const event of earlier) {
    if (event.at !== null && at.getTime() < event.at.getTime()) {
      throw validationFailed([
        { field, errors: [`${field} must not be before ${event.what} (${event.at.toISOString()})`] },
      ]);
    }
  }
}
