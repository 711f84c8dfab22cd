import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Grade, SampleOutcome, SamplingMethod } from './domain/action-limits';

/** A cleanroom sample and its judgement against the action limit copied onto it. */
@Entity('environmental_samples')
export class EnvironmentalSampleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  room!: string;

  @Column({ type: 'text' })
  grade!: Grade;

  @Column({ type: 'text' })
  method!: SamplingMethod;

  @Column({ type: 'integer' })
  cfu!: number;

  @Column({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt!: Date;

  @Column({ type: 'text' })
  outcome!: SampleOutcome;

  @Column({ name: 'limit_cfu', type: 'integer', nullable: true })
  limitCfu!: number | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
