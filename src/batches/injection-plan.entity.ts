import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Knee } from './domain/injection-plan';

/**
 * One version of a batch's injection plan: the `injection_plans` table, owned by this module and append-only
 * (a replan is the next version; the highest version is the plan in force).
 */
@Entity('injection_plans')
export class InjectionPlanEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'planned_at', type: 'timestamptz' })
  plannedAt!: Date;

  @Column({ type: 'text', array: true })
  knees!: Knee[];

  @Column({ name: 'cells_per_knee', type: 'bigint' })
  cellsPerKnee!: number;

  @Column({ name: 'planned_by', type: 'uuid' })
  plannedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
