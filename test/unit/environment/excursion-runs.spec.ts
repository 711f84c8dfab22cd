import {
  advanceRuns,
  EMPTY_RUN_STATE,
  JudgedReading,
  runsIn,
  splitByFrontier,
} from '../../../src/environment/domain/excursion-runs';
import { DEFAULT_LIMITS, isOutOfRange } from '../../../src/environment/domain/temperature-limits';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const minute = (m: number): Date => new Date(T0 + m * 60_000);
const limits = DEFAULT_LIMITS.TANK;

/** One reading a minute from `from`, each temperature judged against a tank's default limits. */
function readings(from: number, temperatures: number[]): JudgedReading[] {
  return temperatures.map((temperatureC, i) => ({
    at: minute(from + i),
    temperatureC,
    outOfRange: isOutOfRange(temperatureC, limits),
  }));
}

function ids(): () => string {
  let n = 0;
  return () => `exc-${++n}`;
}

const IN = -190;
const OUT = -120;

describe('excursion runs', () => {
  it('finds an excursion that starts and ends within one batch', () => {
    const batch = readings(0, [IN, ...Array<number>(11).fill(OUT), IN, IN]);
    const { state, excursions } = advanceRuns(EMPTY_RUN_STATE, batch, 10, ids());
    expect(excursions).toEqual([
      {
        excursionId: 'exc-1',
        created: true,
        startedAt: minute(1),
        lastOutAt: minute(11),
        endedAt: minute(12),
        minC: OUT,
        maxC: OUT,
        readings: 11,
      },
    ]);
    expect(state).toEqual({ frontierAt: minute(13), run: null });
  });

  it('is no excursion when the run is shorter than excursionMinutes', () => {
    const batch = readings(0, [IN, ...Array<number>(8).fill(OUT), IN]);
    const { state, excursions } = advanceRuns(EMPTY_RUN_STATE, batch, 10, ids());
    expect(excursions).toEqual([]);
    expect(state.run).toBeNull();
  });

  it('counts the run up to the first reading back in range: exactly excursionMinutes is an excursion', () => {
    // Out at minutes 1..9, back at 11 after a gap: 10 minutes out of range.
    const batch = [...readings(0, [IN, ...Array<number>(9).fill(OUT)]), ...readings(11, [IN])];
    const { excursions } = advanceRuns(EMPTY_RUN_STATE, batch, 10, ids());
    expect(excursions.map((e) => [e.startedAt, e.endedAt])).toEqual([[minute(1), minute(11)]]);
  });

  it('carries a run across two requests and raises it when it completes in the second', () => {
    const first = advanceRuns(EMPTY_RUN_STATE, readings(0, [IN, OUT, OUT, OUT, OUT, OUT]), 10, ids());
    expect(first.excursions).toEqual([]);
    expect(first.state.run).toMatchObject({ startedAt: minute(1), lastOutAt: minute(5), readings: 5 });

    const next = ids();
    const second = advanceRuns(first.state, readings(6, [OUT, OUT, OUT, OUT, OUT, -100, OUT]), 10, next);
    expect(second.excursions).toEqual([
      expect.objectContaining({
        excursionId: 'exc-1',
        created: true,
        startedAt: minute(1),
        lastOutAt: minute(12),
        endedAt: null,
        maxC: -100,
        readings: 12,
      }),
    ]);
    expect(second.state.run?.excursionId).toBe('exc-1');

    // A third request ends it: the same excursion, not a new one.
    const third = advanceRuns(second.state, readings(13, [IN]), 10, next);
    expect(third.excursions).toEqual([
      expect.objectContaining({ excursionId: 'exc-1', created: false, endedAt: minute(13) }),
    ]);
    expect(third.state.run).toBeNull();
  });

  it('keeps a short run open across requests and drops it when it ends too soon', () => {
    const first = advanceRuns(EMPTY_RUN_STATE, readings(0, [OUT, OUT, OUT]), 10, ids());
    const second = advanceRuns(first.state, readings(3, [OUT, IN]), 10, ids());
    expect(second.excursions).toEqual([]);
    expect(second.state).toEqual({ frontierAt: minute(4), run: null });
  });

  it('finds two excursions in one batch', () => {
    const batch = readings(0, [...Array<number>(11).fill(OUT), IN, ...Array<number>(11).fill(OUT), IN]);
    const { excursions } = advanceRuns(EMPTY_RUN_STATE, batch, 10, ids());
    expect(excursions.map((e) => [e.excursionId, e.startedAt, e.endedAt])).toEqual([
      ['exc-1', minute(0), minute(11)],
      ['exc-2', minute(12), minute(23)],
    ]);
  });

  it('refuses readings at or before the frontier (late readings take another path)', () => {
    const { state } = advanceRuns(EMPTY_RUN_STATE, readings(0, [IN, IN]), 10, ids());
    expect(() => advanceRuns(state, readings(1, [IN]), 10, ids())).toThrow(/after the frontier/);
  });

  it('splits a batch at the frontier and sorts it', () => {
    const batch = [...readings(5, [IN]), ...readings(1, [OUT]), ...readings(3, [IN])];
    const { inOrder, late } = splitByFrontier(batch, minute(3));
    expect(inOrder.map((r) => r.at)).toEqual([minute(5)]);
    expect(late.map((r) => r.at)).toEqual([minute(1), minute(3)]);
  });

  it('judges the limits as in range and a minC when one is set', () => {
    expect(isOutOfRange(-150, limits)).toBe(false);
    expect(isOutOfRange(-149.9, limits)).toBe(true);
    expect(isOutOfRange(-300, limits)).toBe(false);
    const fridge = { minC: 2, maxC: 8, excursionMinutes: 10 };
    expect(isOutOfRange(2, fridge)).toBe(false);
    expect(isOutOfRange(1.9, fridge)).toBe(true);
  });

  it('finds the runs of a slice of stored readings, an open one at its end', () => {
    const slice = readings(0, [IN, ...Array<number>(12).fill(OUT), IN, OUT, OUT]);
    expect(runsIn(slice, 10)).toEqual([
      expect.objectContaining({ startedAt: minute(1), endedAt: minute(13), isExcursion: true, readings: 12 }),
      expect.objectContaining({ startedAt: minute(14), endedAt: null, isExcursion: false, readings: 2 }),
    ]);
  });
});
