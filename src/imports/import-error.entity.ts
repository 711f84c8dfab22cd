import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A bad line of an import's file, recorded with the chunk it belongs to: the `import_errors` table (append-only). */
@Entity('import_errors')
export class ImportErrorEntity {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'integer' })
  line!: number;

  /** ImportLineCode (src/imports/domain/import-line-code.ts). */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text', nullable: true })
  field!: string | null;

  @Column({ type: 'text' })
  message!: string;
}
