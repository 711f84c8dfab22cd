import { AsyncLocalStorage } from 'node:async_hooks';
import { Clock } from '../clock/clock';

/**
 * The application's Clock, for the validators that compare a value with "now" (class-validator builds its
 * validators itself, outside Nest's injection). The validation pipe runs each validation inside
 * {@link withValidationClock}; a validator reads {@link validationNow}. Per call rather than global, so two
 * applications in one process (tests with different clocks) never read each other's time.
 */
const current = new AsyncLocalStorage<Clock>();

export function withValidationClock<T>(clock: Clock, run: () => T): T {
  return current.run(clock, run);
}

/** The time to validate against: the Clock of the running validation, else the system clock. */
export function validationNow(): Date {
  return current.getStore()?.now() ?? new Date();
}
