/**
 * Excursion detection, incrementally: a unit's state (its frontier, the latest instant judged, and the
 * out-of-range run open there) is advanced by each batch of readings in time order, so no batch ever rereads
 * the unit's history (docs/environment.md, "Excursions").
 *
 * A run starts at its first out-of-range reading and ends at the first reading back in range: nobody knows when
 * in between the temperature came back, so the run is taken to last until then (the cautious reading for
 * stored cells). A run is an excursion when it lasts at least `excursionMinutes`; while it is still open it
 * becomes one as soon as its out-of-range readings alone span that long, so the flag does not wait for the end.
 */

export interface JudgedReading {
  at: Date;
  temperatureC: number;
  /** Judged against the limits in force when the reading arrived. */
  outOfRange: boolean;
}

export interface OpenRun {
  startedAt: Date;
  lastOutAt: Date;
  minC: number;
  maxC: number;
  readings: number;
  /** The excursion this run has become, once it lasted long enough. */
  excursionId: string | null;
}

export interface RunState {
  /** The latest reading judged; readings at or before it are late (see {@link splitByFrontier}). */
  frontierAt: Date | null;
  run: OpenRun | null;
}

/** An excursion as a batch left it: new or extended, still open (`endedAt` null) or ended. */
export interface ExcursionChange {
  excursionId: string;
  created: boolean;
  startedAt: Date;
  lastOutAt: Date;
  endedAt: Date | null;
  minC: number;
  maxC: number;
  readings: number;
}

export interface RunAdvance {
  state: RunState;
  /** One entry per excursion the batch created or touched, in time order. */
  excursions: ExcursionChange[];
}

/** An out-of-range run found in a slice of stored readings. */
export interface RunSpan {
  startedAt: Date;
  lastOutAt: Date;
  endedAt: Date | null;
  minC: number;
  maxC: number;
  readings: number;
  isExcursion: boolean;
}

export const EMPTY_RUN_STATE: RunState = { frontierAt: null, run: null };

const MS_PER_MINUTE = 60_000;

/** Readings after the frontier extend the state; the rest arrived late (a logger's file, a resend). */
export function splitByFrontier(
  readings: readonly JudgedReading[],
  frontierAt: Date | null,
): { inOrder: JudgedReading[]; late: JudgedReading[] } {
  const sorted = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (frontierAt === null) return { inOrder: sorted, late: [] };
  const frontier = frontierAt.getTime();
  return {
    inOrder: sorted.filter((reading) => reading.at.getTime() > frontier),
    late: sorted.filter((reading) => reading.at.getTime() <= frontier),
  };
}

/**
 * Advances `state` over `readings`, which must be after its frontier and in time order (one per instant).
 * `newExcursionId` names an excursion when a run becomes one.
 */
export function advanceRuns(
  state: RunState,
  readings: readonly JudgedReading[],
  excursionMinutes: number,
  newExcursionId: () => string,
): RunAdvance {
  const thresholdMs = excursionMinutes * MS_PER_MINUTE;
  const changes = new Map<string, ExcursionChange>();
  let run: OpenRun | null = state.run ? { ...state.run } : null;
  let frontierAt = state.frontierAt;
  const existingId = state.run?.excursionId ?? null;

  const record = (current: OpenRun, endedAt: Date | null): void => {
    const id = current.excursionId as string;
    changes.set(id, {
      excursionId: id,
      created: id !== existingId,
      startedAt: current.startedAt,
      lastOutAt: current.lastOutAt,
      endedAt,
      minC: current.minC,
      maxC: current.maxC,
      readings: current.readings,
    });
  };

  for (const reading of readings) {
    if (frontierAt !== null && reading.at.getTime() <= frontierAt.getTime()) {
      throw new Error('advanceRuns takes readings after the frontier, in time order');
    }
    frontierAt = reading.at;
    if (reading.outOfRange) {
      run = run ? extendRun(run, reading) : startRun(reading);
      if (run.excursionId === null && lasts(run.startedAt, run.lastOutAt, thresholdMs)) {
        run.excursionId = newExcursionId();
      }
      if (run.excursionId !== null) record(run, null);
      continue;
    }
    if (run === null) continue;
    if (run.excursionId === null && lasts(run.startedAt, reading.at, thresholdMs)) {
      run.excursionId = newExcursionId();
    }
    if (run.excursionId !== null) record(run, reading.at);
    run = null;
  }
  return { state: { frontierAt, run }, excursions: [...changes.values()] };
}

/**
 * The out-of-range runs among a slice of stored readings (a late batch and its neighbours), judged from an
 * in-range start: a run still open at the slice's end is returned with `endedAt` null.
 */
export function runsIn(readings: readonly JudgedReading[], excursionMinutes: number): RunSpan[] {
  const thresholdMs = excursionMinutes * MS_PER_MINUTE;
  const runs: RunSpan[] = [];
  let run: OpenRun | null = null;
  const sorted = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const reading of sorted) {
    if (reading.outOfRange) {
      run = run ? extendRun(run, reading) : startRun(reading);
      continue;
    }
    if (run === null) continue;
    runs.push(spanOf(run, reading.at, lasts(run.startedAt, reading.at, thresholdMs)));
    run = null;
  }
  if (run) runs.push(spanOf(run, null, lasts(run.startedAt, run.lastOutAt, thresholdMs)));
  return runs;
}

function spanOf(run: OpenRun, endedAt: Date | null, isExcursion: boolean): RunSpan {
  const { startedAt, lastOutAt, minC, maxC, readings } = run;
  return { startedAt, lastOutAt, endedAt, minC, maxC, readings, isExcursion };
}

function startRun(reading: JudgedReading): OpenRun {
  return {
    startedAt: reading.at,
    lastOutAt: reading.at,
    minC: reading.temperatureC,
    maxC: reading.temperatureC,
    readings: 1,
    excursionId: null,
  };
}

function extendRun(run: OpenRun, reading: JudgedReading): OpenRun {
  return {
    ...run,
    lastOutAt: reading.at,
    minC: Math.min(run.minC, reading.temperatureC),
    maxC: Math.max(run.maxC, reading.temperatureC),
    readings: run.readings + 1,
  };
}

function lasts(from: Date, to: Date, thresholdMs: number): boolean {
  return to.getTime() - from.getTime() >= thresholdMs;
}
