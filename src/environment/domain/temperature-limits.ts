/** The kinds of unit that have a temperature of their own: the roots of the storage hierarchy. */
export type MonitoredUnitKind = 'TANK' | 'FREEZER';

/** A unit's acceptable range and how long a stay outside it is tolerated (docs/environment.md). */
export interface TemperatureLimits {
  /** No lower limit when null: a tank is never "too cold". */
  minC: number | null;
  maxC: number;
  excursionMinutes: number;
}

/**
 * Defaults until an administrator sets a unit's own: vapour-phase liquid nitrogen keeps cells below -150 C
 * (the glass transition of water lies near -135 C), a mechanical freezer below -70 C; ten minutes out of range
 * is an excursion.
 */
export const DEFAULT_LIMITS: Readonly<Record<MonitoredUnitKind, TemperatureLimits>> = {
  TANK: { minC: null, maxC: -150, excursionMinutes: 10 },
  FREEZER: { minC: null, maxC: -70, excursionMinutes: 10 },
};

export function isMonitoredKind(kind: string): kind is MonitoredUnitKind {
  return kind === 'TANK' || kind === 'FREEZER';
}

/** Outside [minC, maxC]; the limits themselves are in range. */
export function isOutOfRange(temperatureC: number, limits: TemperatureLimits): boolean {
  return temperatureC > limits.maxC || (limits.minC !== null && temperatureC < limits.minC);
}

/** The limits after a change: given fields replace the current ones (null clears minC). */
export function changedLimits(
  current: TemperatureLimits,
  change: { minC?: number | null; maxC?: number; excursionMinutes?: number },
): TemperatureLimits {
  return {
    minC: change.minC !== undefined ? change.minC : current.minC,
    maxC: change.maxC ?? current.maxC,
    excursionMinutes: change.excursionMinutes ?? current.excursionMinutes,
  };
}

/** Why limits cannot stand, or null: the range must not be empty. */
export function limitsProblem(limits: TemperatureLimits): string | null {
  if (limits.minC !== null && limits.minC >= limits.maxC) return 'minC must be below maxC';
  return null;
}
