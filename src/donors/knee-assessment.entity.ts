import { Column, Entity, PrimaryColumn } from 'typeorm';

export type KneeSide = 'LEFT' | 'RIGHT';
export type KneeImaging = 'MRI' | 'XRAY';

/**
 * A doctor's grading of one knee of a patient (Kellgren-Lawrence on X-ray or MRI): the `knee_assessments`
 * table, owned by this module, append-only; the latest by `assessedAt` is the knee's current grade.
 */
@Entity('knee_assessments')
export class KneeAssessmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'donor_id', type: 'uuid' })
  donorId!: string;

  @Column({ type: 'text' })
  knee!: KneeSide;

  @Column({ name: 'assessed_at', type: 'timestamptz' })
  assessedAt!: Date;

  @Column({ name: 'kellgren_lawrence', type: 'smallint' })
  kellgrenLawrence!: number;

  @Column({ type: 'text' })
  imaging!: KneeImaging;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
