import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A print run withdrawn by QA: its serials no longer verify. One per run (the primary key). */
@Entity('label_voids')
export class LabelVoidEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'voided_by', type: 'uuid' })
  voidedBy!: string;

  @Column({ name: 'voided_at', type: 'timestamptz' })
  voidedAt!: Date;
}
