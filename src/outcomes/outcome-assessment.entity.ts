import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OutcomeKind = 'BASELINE' | 'FOLLOW_UP';
export type OutcomeKnee = 'LEFT' | 'RIGHT';

/**
 * A pain assessment of one knee: the `outcome_assessments` table, owned by this module and append-only. A
 * follow-up names the dose injected into that knee; a baseline names none. Reductions, the month it counts
 * for and the responder judgement are derived when read, never stored.
 */
@Entity('outcome_assessments')
export class OutcomeAssessmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'donor_id', type: 'uuid' })
  donorId!: string;

  /** The donor's clinic, copied so the outcome report filters by clinic without a join. */
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @Column({ type: 'text' })
  knee!: OutcomeKnee;

  @Column({ type: 'text' })
  kind!: OutcomeKind;

  @Column({ name: 'assessed_at', type: 'timestamptz' })
  assessedAt!: Date;

  @Column({ name: 'vas_pain', type: 'smallint' })
  vasPain!: number;

  @Column({ name: 'koos_pain', type: 'numeric', nullable: true })
  koosPain!: number | null;

  @Column({ name: 'dose_id', type: 'uuid', nullable: true })
  doseId!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
