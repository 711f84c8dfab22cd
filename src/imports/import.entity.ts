import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ImportState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED';

/**
 * One real run of a bank inventory file: the `imports` table. The file is kept with it so a run that died can
 * be resumed from `lastLine` (every line up to it is done), which moves in the transaction of each chunk.
 */
@Entity('imports')
export class ImportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'BANK_INVENTORY';

  @Column({ type: 'text' })
  state!: ImportState;

  @Column({ name: 'file_sha256', type: 'text' })
  fileSha256!: string;

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer' })
  processed!: number;

  @Column({ type: 'integer' })
  created!: number;

  @Column({ type: 'integer' })
  skipped!: number;

  @Column({ name: 'error_count', type: 'integer' })
  errorCount!: number;

  @Column({ name: 'last_line', type: 'integer' })
  lastLine!: number;

  @Column({ type: 'text', nullable: true })
  failure!: string | null;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
