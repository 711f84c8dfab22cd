import { validateSync } from 'class-validator';
import { IsPastEventTime, parseZonedTimestamp } from '../../../src/common/validation/past-event.validator';

class Event {
  @IsPastEventTime()
  performedAt!: unknown;
}

const errorsFor = (performedAt: unknown) => {
  const event = new Event();
  event.performedAt = performedAt;
  return validateSync(event);
};

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('timestamps of past events', () => {
  it('accepts any past time: paper records are back-entered', () => {
    expect(errorsFor('2019-04-01T09:30:00+09:00')).toHaveLength(0);
  });

  it('accepts a clock up to 5 minutes ahead of ours', () => {
    expect(errorsFor(inMinutes(4))).toHaveLength(0);
  });

  it('refuses a time more than 5 minutes in the future', () => {
    expect(errorsFor(inMinutes(6))).toHaveLength(1);
  });

  it('refuses a timestamp without a time zone, a date alone, and non-strings', () => {
    for (const value of ['2026-11-24T09:30:00', '2026-11-24', 1764000000000, null, 'yesterday']) {
      expect(errorsFor(value)).toHaveLength(1);
    }
  });

  it('reads offsets and Z alike', () => {
    expect(parseZonedTimestamp('2026-11-24T09:30:00+09:00')?.toISOString()).toBe('2026-11-24T00:30:00.000Z');
    expect(parseZonedTimestamp('2026-11-24T00:30:00.123Z')?.toISOString()).toBe('2026-11-24T00:30:00.123Z');
    expect(parseZonedTimestamp('2026-02-30T00:00:00Z')).toBeNull();
  });
});
