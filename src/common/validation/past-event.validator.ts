import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { validationNow } from './validation-clock';

/** How far a clock on a tablet may run ahead of ours before a "past event" is refused as being in the future. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * A timestamp of something that happened: ISO 8601 with a zone, at most five minutes ahead of the application's
 * Clock (see validation-clock.ts). Paper
 * records may be back-entered, so any past time is accepted. Use with `@Type(() => Date)` absent: the value
 * stays a string until this check passes, then the DTO's getter or the service parses it.
 */
export function IsPastEventTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPastEventTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown): boolean {
          const at = parseZonedTimestamp(value);
          return at !== null && at.getTime() <= validationNow().getTime() + FUTURE_TOLERANCE_MS;
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be an ISO 8601 timestamp with a time zone, not more than 5 minutes in the future`;
        },
      },
    });
  };
}

/** A timestamp for a future or arbitrary moment (an expiry date): ISO 8601 with a zone. */
export function IsZonedTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isZonedTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => parseZonedTimestamp(value) !== null,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be an ISO 8601 timestamp with a time zone`,
      },
    });
  };
}

const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseZonedTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || !ZONED.test(value)) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return null;
  // Date rolls 30 February over into March; a record with an impossible date is a typing error.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth ? at : null;
}
