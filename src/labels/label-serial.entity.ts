import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SubjectType } from './domain/subject-type';

/** One printed label: its serial, the run and copy it came from, and the item it names. */
@Entity('label_serials')
export class LabelSerialEntity {
  @PrimaryColumn({ type: 'text' })
  serial!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ type: 'integer' })
  copy!: number;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: SubjectType;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Column({ name: 'item_label', type: 'text' })
  itemLabel!: string;
}
