import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MonitoredUnitKind } from './domain/temperature-limits';

/**
 * A tank's or freezer's temperature limits once an administrator set them (docs/environment.md, "Temperature
 * limits"); a unit without a row has its kind's defaults. Owned by the environment module.
 */
@Entity('storage_unit_conditions')
export class StorageUnitConditionsEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' })
  unitId!: string;

  @Column({ name: 'unit_kind', type: 'text' })
  unitKind!: MonitoredUnitKind;

  @Column({ name: 'min_c', type: 'numeric', nullable: true })
  minC!: number | null;

  @Column({ name: 'max_c', type: 'numeric' })
  maxC!: number;

  @Column({ name: 'excursion_minutes', type: 'integer' })
  excursionMinutes!: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
