import {
  MAX_READINGS_PER_BATCH,
  readingsProblems,
} from '../../../src/environment/dto/temperature-readings.dto';

const NOW = Date.parse('2026-11-10T00:00:00Z');

describe('a batch of readings', () => {
  it('accepts readings with exactly at and temperatureC', () => {
    expect(readingsProblems([{ at: '2026-11-09T23:59:00+09:00', temperatureC: -190.25 }], NOW)).toEqual([]);
  });

  it('holds 1 to 10,000 readings', () => {
    expect(readingsProblems([], NOW)).toEqual(['readings must hold 1 to 10000 readings']);
    const many = Array.from({ length: MAX_READINGS_PER_BATCH + 1 }, () => ({
      at: '2026-11-01T00:00:00Z',
      temperatureC: 1,
    }));
    expect(readingsProblems(many, NOW)).toHaveLength(1);
    expect(readingsProblems('many', NOW)).toEqual(['readings must be an array']);
  });

  it('names each bad reading by index and field, at most twenty', () => {
    expect(
      readingsProblems(
        [
          null,
          { at: '2026-11-01 00:00', temperatureC: -190 },
          { at: '2026-11-10T00:06:00Z', temperatureC: -190 },
          { at: '2026-11-01T00:00:00Z', temperatureC: '-190' },
          { at: '2026-11-01T00:00:00Z', temperatureC: -273.16 },
          { at: '2026-11-01T00:00:00Z', temperatureC: -190, probe: 2 },
        ],
        NOW,
      ),
    ).toEqual([
      'readings.0 must be an object',
      'readings.1.at must be an ISO 8601 timestamp with a time zone',
      'readings.2.at must not be more than 5 minutes in the future',
      'readings.3.temperatureC must be a number from -273.15 to 200',
      'readings.4.temperatureC must be a number from -273.15 to 200',
      'readings.5.probe should not exist',
    ]);
    expect(
      readingsProblems(
        Array.from({ length: 50 }, () => ({})),
        NOW,
      ),
    ).toHaveLength(20);
  });
});
