import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StorageUnitConditionsEntity } from './storage-unit-conditions.entity';

/** The `storage_unit_conditions` table; the only code that reads or writes it. */
@Injectable()
export class UnitConditionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  find(
    unitId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<StorageUnitConditionsEntity | null> {
    return manager.findOneBy(StorageUnitConditionsEntity, { unitId });
  }

  async save(conditions: StorageUnitConditionsEntity, manager: EntityManager): Promise<void> {
    await manager.upsert(StorageUnitConditionsEntity, conditions, ['unitId']);
  }
}
