import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../common/pagination/created-at-cursor';
import { EquipmentCalibrationEntity } from './equipment-calibration.entity';
import { EquipmentUsageEntity } from './equipment-usage.entity';
import { EquipmentEntity } from './equipment.entity';

export interface EquipmentListRow extends EquipmentEntity {
  cursorAt: string;
}

/** A use with the equipment's identity, for the batch's lineage. */
export interface EquipmentUseRow extends EquipmentUsageEntity {
  code: string;
  kind: EquipmentEntity['kind'];
  name: string;
}

/** The `equipment_items`, `equipment_calibrations` and `equipment_usages` tables; the only code that touches them. */
@Injectable()
export class EquipmentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(equipment: Omit<EquipmentEntity, 'id'>, manager: EntityManager): Promise<EquipmentEntity> {
    const { identifiers } = await manager.insert(EquipmentEntity, equipment);
    return manager.findOneByOrFail(EquipmentEntity, { id: identifiers[0].id as string });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<EquipmentEntity | null> {
    return manager.findOneBy(EquipmentEntity, { id });
  }

  /** Locked for a calibration: two recorded at once for one piece are judged one after the other. */
  lockById(id: string, manager: EntityManager): Promise<EquipmentEntity | null> {
    return manager.findOne(EquipmentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByIds(ids: readonly string[], manager: EntityManager = this.db.manager): Promise<EquipmentEntity[]> {
    return manager.findBy(EquipmentEntity, { id: In([...ids]) });
  }

  /** Newest first; `after` is the previous page's last cursor key. */
  async list(limit: number, after: [string, string] | null): Promise<EquipmentListRow[]> {
    const query = this.db
      .createQueryBuilder(EquipmentEntity, 'e')
      .addSelect(CREATED_AT_CURSOR_EXPRESSION.replace('created_at', 'e.created_at'), 'cursorAt')
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit);
    if (after)
      query.where('(e.created_at, e.id) < (:at::timestamptz, :id::uuid)', { at: after[0], id: after[1] });
    const { raw, entities } = await query.getRawAndEntities();
    return entities.map((entity, i) =>
      Object.assign(entity, { cursorAt: (raw[i] as { cursorAt: string }).cursorAt }),
    );
  }

  /** Every piece's id: a facility has tens of them, so the calibration sweep looks at all. */
  async allIds(): Promise<string[]> {
    return (await this.db.query<{ id: string }[]>('SELECT id FROM equipment_items ORDER BY id')).map(
      (row) => row.id,
    );
  }

  async insertCalibration(
    calibration: Omit<EquipmentCalibrationEntity, 'id'>,
    manager: EntityManager,
  ): Promise<EquipmentCalibrationEntity> {
    const { identifiers } = await manager.insert(EquipmentCalibrationEntity, calibration);
    return manager.findOneByOrFail(EquipmentCalibrationEntity, { id: identifiers[0].id as string });
  }

  /** The calibrations of these pieces, newest performed first. */
  calibrationsOf(
    equipmentIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<EquipmentCalibrationEntity[]> {
    if (equipmentIds.length === 0) return Promise.resolve([]);
    return manager.find(EquipmentCalibrationEntity, {
      where: { equipmentId: In([...equipmentIds]) },
      order: { performedAt: 'DESC', recordedAt: 'DESC' },
    });
  }

  async insertUsages(usages: Omit<EquipmentUsageEntity, 'id'>[], manager: EntityManager): Promise<void> {
    if (usages.length > 0) await manager.insert(EquipmentUsageEntity, usages);
  }

  usagesOfBatch(batchId: string, manager: EntityManager = this.db.manager): Promise<EquipmentUseRow[]> {
    return manager.query<EquipmentUseRow[]>(
      `SELECT u.id, u.equipment_id AS "equipmentId", u.batch_id AS "batchId", u.event_type AS "eventType",
              u.event_id AS "eventId", u.used_at AS "usedAt", u.calibration_id AS "calibrationId",
              u.calibration_due_at AS "calibrationDueAt", u.recorded_at AS "recordedAt", e.code, e.kind, e.name
         FROM equipment_usages u JOIN equipment_items e ON e.id = u.equipment_id
        WHERE u.batch_id = $1 ORDER BY u.used_at, u.id`,
      [batchId],
    );
  }
}
