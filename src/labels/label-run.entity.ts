import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SubjectType } from './domain/subject-type';

/** One print of an item's labels (the first run) or a reprint (every later one, with a reason). */
@Entity('label_runs')
export class LabelRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: SubjectType;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Column({ name: 'run_number', type: 'integer' })
  runNumber!: number;

  @Column({ type: 'integer' })
  copies!: number;

  @Column({ type: 'boolean' })
  reprint!: boolean;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'printed_by', type: 'uuid' })
  printedBy!: string;

  @Column({ name: 'printed_at', type: 'timestamptz' })
  printedAt!: Date;
}
