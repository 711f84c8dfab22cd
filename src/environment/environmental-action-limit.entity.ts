import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Grade, SamplingMethod } from './domain/action-limits';

/** The action limit of a grade and method, seeded from Annex 1 (2022) table 6; null: no limit. */
@Entity('environmental_action_limits')
export class EnvironmentalActionLimitEntity {
  @PrimaryColumn({ type: 'text' })
  grade!: Grade;

  @PrimaryColumn({ type: 'text' })
  method!: SamplingMethod;

  @Column({ name: 'limit_cfu', type: 'integer', nullable: true })
  limitCfu!: number | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
