import TestAgent from 'supertest/lib/agent';
import { bearer, Person } from './people';

export const MINUTE = 60_000;
/** Well below a tank's default upper limit (-150 C), and well above it. */
export const COLD = -190;
export const WARM = -120;

export interface Reading {
  at: string;
  temperatureC: number;
}

/** An instant `minutes` before `base` (now unless given), to the minute, as ISO text. */
export function minutesBefore(minutes: number, base: number = Date.now()): string {
  return new Date(Math.floor(base / MINUTE) * MINUTE - minutes * MINUTE).toISOString();
}

/**
 * One reading a minute, the first `startMinutesAgo` minutes before `base`, with these temperatures: e.g.
 * `everyMinute(60, [COLD, ...times(11, WARM), COLD])`.
 */
export function everyMinute(
  startMinutesAgo: number,
  temperatures: number[],
  base: number = Date.now(),
): Reading[] {
  return temperatures.map((temperatureC, i) => ({
    at: minutesBefore(startMinutesAgo - i, base),
    temperatureC,
  }));
}

export function times(count: number, temperatureC: number): number[] {
  return Array<number>(count).fill(temperatureC);
}

export function postReadings(
  http: TestAgent,
  who: Person | string,
  unitId: string,
  readings: Reading[],
): Promise<{
  status: number;
  body: Record<string, unknown> & { code?: string; accepted?: number; duplicates?: number };
}> {
  return http
    .post('/api/v1/temperature-readings')
    .set(...bearer(who))
    .send({ unitId, readings })
    .then((response) => ({ status: response.status, body: response.body }));
}

export function importLoggerFile(
  http: TestAgent,
  who: Person | string,
  unitId: string,
  csv: string,
): Promise<{
  status: number;
  body: Record<string, unknown> & { code?: string; details?: Record<string, unknown> };
}> {
  return http
    .post('/api/v1/temperature-readings/import')
    .query({ unitId })
    .set(...bearer(who))
    .set('Content-Type', 'text/csv')
    .send(csv)
    .then((response) => ({ status: response.status, body: response.body }));
}

export interface ExcursionView {
  id: string;
  unitId: string;
  status: 'OPEN' | 'ENDED' | 'DISPOSED';
  startedAt: string;
  lastOutAt: string;
  endedAt: string | null;
  minC: number;
  maxC: number;
  readings: number;
  limits: { minC: number | null; maxC: number; excursionMinutes: number };
  vials: { id: string; label: string; status: string; held: boolean }[];
  disposition: Record<string, unknown> | null;
}

/** The unit's excursions, oldest first, straight from the database (superuser connection). */
export async function excursionRowsOf(
  sql: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> },
  unitId: string,
): Promise<{ id: string; status: string; started_at: Date; ended_at: Date | null; readings: number }[]> {
  const result = await sql.query(
    'SELECT id, status, started_at, ended_at, readings FROM excursions WHERE unit_id = $1 ORDER BY started_at',
    [unitId],
  );
  return result.rows as {
    id: string;
    status: string;
    started_at: Date;
    ended_at: Date | null;
    readings: number;
  }[];
}
