import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One reading of a unit at one instant: `temperature_readings`, partitioned by month of `at` and written in
 * sets by raw SQL (docs/environment.md, "Readings"); append-only.
 */
@Entity('temperature_readings')
export class TemperatureReadingEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'temperature_c', type: 'real' })
  temperatureC!: number;

  /** Judged against the limits in force when the reading arrived. */
  @Column({ name: 'out_of_range', type: 'boolean' })
  outOfRange!: boolean;
}
