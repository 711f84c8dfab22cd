import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const EQUIPMENT_STEPS = [
  'ISOLATION',
  'PASSAGE',
  'CELL_COUNT',
  'FINAL_HARVEST',
  'QC_RESULT',
  'CRYOPRESERVATION',
] as const;
export type EquipmentStep = (typeof EQUIPMENT_STEPS)[number];

/** A step's use of a piece of equipment, with the calibration it was judged by at the step's time. */
@Entity('equipment_usages')
export class EquipmentUsageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: number;

  @Column({ name: 'equipment_id', type: 'uuid' })
  equipmentId!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: EquipmentStep;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'used_at', type: 'timestamptz' })
  usedAt!: Date;

  @Column({ name: 'calibration_id', type: 'uuid', nullable: true })
  calibrationId!: string | null;

  @Column({ name: 'calibration_due_at', type: 'timestamptz' })
  calibrationDueAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
