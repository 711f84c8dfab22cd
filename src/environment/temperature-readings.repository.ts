import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReadingBucket } from './domain/downsampling';
import { JudgedReading } from './domain/excursion-runs';

const INSERT_READINGS = `INSERT INTO temperature_readings (unit_id, at, temperature_c, out_of_range)
  SELECT $1, r.at, r.temperature_c, r.out_of_range
    FROM unnest($2::timestamptz[], $3::real[], $4::boolean[]) AS r(at, temperature_c, out_of_range)
  ON CONFLICT (unit_id, at) DO NOTHING`;

function arraysOf(unitId: string, readings: readonly JudgedReading[]): unknown[] {
  return [
    unitId,
    readings.map((reading) => reading.at.toISOString()),
    readings.map((reading) => reading.temperatureC),
    readings.map((reading) => reading.outOfRange),
  ];
}

/**
 * The `temperature_readings` table (TemperatureReadingEntity), partitioned by month. Written in sets by raw
 * SQL: ten thousand readings are one statement. Every query names its unit and a time range, so PostgreSQL
 * reads only the partitions the range overlaps, through the primary key (unit_id, at), index-only.
 */
@Injectable()
export class TemperatureReadingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Makes the month's partition of `at` if it is missing, in a short transaction of its own: adding a
   * partition locks the parent table, which an open batch holding it would make a deadlock.
   */
  async ensureMonth(at: Date): Promise<void> {
    await this.db.query('SELECT temperature_readings_ensure_month($1)', [at]);
  }

  /**
   * Inserts what is new. Readings after the unit's frontier are all new (the frontier is the latest instant
   * ever stored), so only the late ones need telling apart from duplicates: they come back by instant.
   * Answers how many were stored, and which of the late ones.
   */
  async insert(
    unitId: string,
    fresh: readonly JudgedReading[],
    late: readonly JudgedReading[],
    manager: EntityManager,
  ): Promise<{ stored: number; lateStored: Set<number> }> {
    let stored = 0;
    if (fresh.length > 0) {
      const [row] = await manager.query<{ n: number }[]>(
        `WITH stored AS (${INSERT_READINGS} RETURNING 1) SELECT count(*)::int AS n FROM stored`,
        arraysOf(unitId, fresh),
      );
      stored += row.n;
    }
    const lateStored = new Set<number>();
    if (late.length > 0) {
      const rows = await manager.query<{ at: Date }[]>(
        `${INSERT_READINGS} RETURNING at`,
        arraysOf(unitId, late),
      );
      for (const row of rows) lateStored.add(row.at.getTime());
      stored += rows.length;
    }
    return { stored, lateStored };
  }

  /** The latest reading in range before `at`, and the earliest in range after `after` up to `until`. */
  async inRangeAround(
    unitId: string,
    before: Date,
    after: Date,
    until: Date,
    manager: EntityManager,
  ): Promise<{ previous: Date | null; next: Date | null }> {
    const [previous] = await manager.query<{ at: Date }[]>(
      `SELECT at FROM temperature_readings WHERE unit_id = $1 AND at < $2 AND NOT out_of_range ORDER BY at DESC LIMIT 1`,
      [unitId, before],
    );
    const [next] = await manager.query<{ at: Date }[]>(
      `SELECT at FROM temperature_readings WHERE unit_id = $1 AND at > $2 AND at <= $3 AND NOT out_of_range
        ORDER BY at LIMIT 1`,
      [unitId, after, until],
    );
    return { previous: previous?.at ?? null, next: next?.at ?? null };
  }

  /** The stored readings of [from, to], in time order. */
  slice(unitId: string, from: Date, to: Date, manager: EntityManager): Promise<JudgedReading[]> {
    return manager.query<JudgedReading[]>(
      `SELECT at, temperature_c AS "temperatureC", out_of_range AS "outOfRange" FROM temperature_readings
        WHERE unit_id = $1 AND at BETWEEN $2 AND $3 ORDER BY at`,
      [unitId, from, to],
    );
  }

  /** How many readings [from, to) holds, counting no further than `cap`. */
  async countUpTo(unitId: string, from: Date, to: Date, cap: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM temperature_readings
         WHERE unit_id = $1 AND at >= $2 AND at < $3 LIMIT $4) capped`,
      [unitId, from, to, cap],
    );
    return row.n;
  }

  /** The readings of [from, to), in time order. */
  between(unitId: string, from: Date, to: Date): Promise<{ at: Date; temperatureC: number }[]> {
    return this.db.query(
      `SELECT at, temperature_c AS "temperatureC" FROM temperature_readings
        WHERE unit_id = $1 AND at >= $2 AND at < $3 ORDER BY at`,
      [unitId, from, to],
    );
  }

  /**
   * [from, to) cut into buckets of `widthMs`, each with its count and its lowest and highest reading as
   * [temperature, epoch seconds] (an array's min and max compare the temperature first, then the time).
   */
  buckets(unitId: string, from: Date, to: Date, widthMs: number): Promise<ReadingBucket[]> {
    return this.db.query<ReadingBucket[]>(
      `SELECT readings, lowest, highest FROM (
         SELECT floor((date_part('epoch', at) - $4) * 1000 / $5) AS bucket, count(*)::int AS readings,
                min(ARRAY[temperature_c::float8, date_part('epoch', at)]) AS lowest,
                max(ARRAY[temperature_c::float8, date_part('epoch', at)]) AS highest
           FROM temperature_readings
          WHERE unit_id = $1 AND at >= $2 AND at < $3
          GROUP BY 1) b
        ORDER BY bucket`,
      [unitId, from, to, from.getTime() / 1000, widthMs],
    );
  }
}
