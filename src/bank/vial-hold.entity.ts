import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A hold on a vial by a source (an excursion, a suspected infection): while any hold on it is open, the vial
 * cannot be reserved (docs/environment.md, "The hold mechanism"). Released once, never deleted.
 */
@Entity('vial_holds')
export class VialHoldEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'vial_id', type: 'uuid' })
  vialId!: string;

  @Column({ name: 'source_type', type: 'text' })
  sourceType!: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ name: 'placed_by', type: 'uuid', nullable: true })
  placedBy!: string | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'released_by', type: 'uuid', nullable: true })
  releasedBy!: string | null;

  @Column({ name: 'release_reason', type: 'text', nullable: true })
  releaseReason!: string | null;
}
