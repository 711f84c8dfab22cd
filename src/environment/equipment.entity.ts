import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const EQUIPMENT_KINDS = [
  'INCUBATOR',
  'CENTRIFUGE',
  'BIOSAFETY_CABINET',
  'CELL_COUNTER',
  'FLOW_CYTOMETER',
  'OTHER',
] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

/** A piece of equipment the steps use (docs/environment.md, "Equipment"): the `equipment_items` table. */
@Entity('equipment_items')
export class EquipmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  kind!: EquipmentKind;

  @Column({ type: 'text' })
  name!: string;

  /** Due before any calibration is recorded here. */
  @Column({ name: 'calibration_due_at', type: 'timestamptz' })
  calibrationDueAt!: Date;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
