import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CalibrationResult } from './domain/qualification';

/** One calibration of a piece of equipment; append-only. */
@Entity('equipment_calibrations')
export class EquipmentCalibrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'equipment_id', type: 'uuid' })
  equipmentId!: string;

  @Column({ name: 'performed_at', type: 'timestamptz' })
  performedAt!: Date;

  @Column({ type: 'text' })
  result!: CalibrationResult;

  @Column({ name: 'next_due_at', type: 'timestamptz' })
  nextDueAt!: Date;

  @Column({ name: 'certificate_ref', type: 'text' })
  certificateRef!: string;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
