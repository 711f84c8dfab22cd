import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MismatchReason } from './domain/scan-verdict';
import { SubjectType } from './domain/subject-type';

export type HandOff =
  | 'HARVEST_RECEIPT'
  | 'CRYOPRESERVE'
  | 'VIAL_MOVE'
  | 'THAW'
  | 'DOSE_DISPATCH'
  | 'DOSE_RECEIPT'
  | 'ADMINISTRATION';

/** A scan checked against an item, on its own or as part of a hand-off, matched or not. */
@Entity('scans')
export class ScanEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: SubjectType;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Column({ name: 'hand_off', type: 'text', nullable: true })
  handOff!: HandOff | null;

  @Column({ type: 'text' })
  scan!: string;

  @Column({ type: 'boolean' })
  match!: boolean;

  @Column({ type: 'text', nullable: true })
  reason!: MismatchReason | null;

  @Column({ name: 'identified_type', type: 'text', nullable: true })
  identifiedType!: SubjectType | null;

  @Column({ name: 'identified_id', type: 'uuid', nullable: true })
  identifiedId!: string | null;

  @Column({ type: 'text', nullable: true })
  serial!: string | null;

  @Column({ name: 'actor_id', type: 'uuid' })
  actorId!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ name: 'scanned_at', type: 'timestamptz' })
  scannedAt!: Date;
}
