import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the incremental excursion check remembers of a unit between batches: its frontier and the open
 * out-of-range run (src/environment/domain/excursion-runs.ts). A batch locks the row.
 */
@Entity('temperature_run_states')
export class TemperatureRunStateEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @Column({ name: 'frontier_at', type: 'timestamptz', nullable: true })
  frontierAt!: Date | null;

  @Column({ name: 'run_started_at', type: 'timestamptz', nullable: true })
  runStartedAt!: Date | null;

  @Column({ name: 'run_last_out_at', type: 'timestamptz', nullable: true })
  runLastOutAt!: Date | null;

  @Column({ name: 'run_min_c', type: 'real', nullable: true })
  runMinC!: number | null;

  @Column({ name: 'run_max_c', type: 'real', nullable: true })
  runMaxC!: number | null;

  @Column({ name: 'run_readings', type: 'integer' })
  runReadings!: number;

  @Column({ name: 'excursion_id', type: 'uuid', nullable: true })
  excursionId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
