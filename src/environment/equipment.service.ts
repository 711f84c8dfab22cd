import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { Clock } from '../common/clock/clock';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { calibrationDueAt, CalibrationRecord, qualificationAt } from './domain/qualification';
import {
  CalibrationViewDto,
  CreateEquipmentDto,
  EquipmentUseDto,
  EquipmentViewDto,
  ListEquipmentQuery,
  RecordCalibrationDto,
} from './dto/equipment.dto';
import { EquipmentCalibrationEntity } from './equipment-calibration.entity';
import { EquipmentStep } from './equipment-usage.entity';
import { EquipmentEntity } from './equipment.entity';
import { EquipmentRepository } from './equipment.repository';

/** A step's use of equipment, recorded in the step's own transaction. */
export interface EquipmentUse {
  equipmentIds: readonly string[];
  batchId: string;
  eventType: EquipmentStep;
  /** The isolation, passage, count, final harvest, QC result or cryopreservation. */
  eventId: string;
  /** The step's own time: qualification is judged then, not when it is typed in. */
  usedAt: Date;
}

/** The CALIBRATION_DUE condition of one piece of equipment now. */
export interface CalibrationDueCondition {
  holds: boolean;
  code: string;
  name: string;
  dueAt: Date;
  failed: boolean;
  windowOpensAt: Date;
}

/**
 * Equipment and its calibrations (docs/environment.md, "Equipment"). For the steps that use equipment:
 * `recordUse(tx, use)` refuses equipment unknown (404) or unqualified at the step's time (422
 * EQUIPMENT_NOT_QUALIFIED) and records the use with the calibration it was judged by.
 */
@Injectable()
export class EquipmentService {
  constructor(
    private readonly equipment: EquipmentRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** `code` unique (409 DUPLICATE, from the database). */
  async create(user: AuthUser, dto: CreateEquipmentDto): Promise<EquipmentViewDto> {
    const id = await this.transactions.run(actorOf(user), async (tx) => {
      const created = await this.equipment.insert(
        {
          code: dto.code.trim(),
          kind: dto.kind,
          name: dto.name.trim(),
          calibrationDueAt: parseZonedTimestamp(dto.calibrationDueAt) as Date,
          createdBy: user.id,
          createdAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'equipment.registered',
        entityType: 'equipment',
        entityId: created.id,
        after: created,
      });
      this.emitCalibrationChanged(tx, created.id);
      return created.id;
    });
    return this.get(id);
  }

  /** Checks: the equipment (404), nextDueAt after performedAt (400). */
  async calibrate(
    user: AuthUser,
    equipmentId: string,
    dto: RecordCalibrationDto,
  ): Promise<CalibrationViewDto> {
    const performedAt = parseZonedTimestamp(dto.performedAt) as Date;
    const nextDueAt = parseZonedTimestamp(dto.nextDueAt) as Date;
    return this.transactions.run(actorOf(user), async (tx) => {
      const equipment = await this.equipment.lockById(equipmentId, tx.manager);
      if (!equipment) throw notFound('Equipment', equipmentId);
      if (nextDueAt.getTime() <= performedAt.getTime()) {
        throw validationFailed([{ field: 'nextDueAt', errors: ['nextDueAt must be after performedAt'] }]);
      }
      const calibration = await this.equipment.insertCalibration(
        {
          equipmentId,
          performedAt,
          result: dto.result,
          nextDueAt,
          certificateRef: dto.certificateRef.trim(),
          recordedBy: user.id,
          recordedAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'equipment.calibrated',
        entityType: 'equipment',
        entityId: equipmentId,
        after: { code: equipment.code, calibration },
      });
      this.emitCalibrationChanged(tx, equipmentId);
      return calibration;
    });
  }

  async get(equipmentId: string): Promise<EquipmentViewDto> {
    const equipment = await this.equipment.findById(equipmentId);
    if (!equipment) throw notFound('Equipment', equipmentId);
    return this.view(equipment, await this.equipment.calibrationsOf([equipmentId]));
  }

  async list(query: ListEquipmentQuery): Promise<Page<EquipmentViewDto>> {
    const rows = await this.equipment.list(query.limit + 1, createdAtCursor(query.cursor));
    const calibrations = await this.equipment.calibrationsOf(rows.map((row) => row.id));
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) =>
        this.view(
          row,
          calibrations.filter((calibration) => calibration.equipmentId === row.id),
        ),
    );
  }

  /**
   * Inside the step's transaction, after the step's row exists. No equipment: nothing happens. Unknown
   * equipment: 404 (details.equipmentIds); equipment overdue or failed at `usedAt`: 422
   * EQUIPMENT_NOT_QUALIFIED, naming each piece and why. Audited on the batch.
   */
  async recordUse(tx: TransactionContext, use: EquipmentUse): Promise<void> {
    const ids = [...new Set(use.equipmentIds)];
    if (ids.length === 0) return;
    const found = new Map((await this.equipment.findByIds(ids, tx.manager)).map((e) => [e.id, e]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.NOT_FOUND, `Equipment not found: ${missing.join(', ')}`, {
        id: missing[0],
        equipmentIds: missing,
      });
    }
    const calibrations = await this.equipment.calibrationsOf(ids, tx.manager);
    const judged = ids.map((id) => {
      const equipment = found.get(id) as EquipmentEntity;
      return { equipment, qualification: qualificationAt(recordOf(equipment, calibrations), use.usedAt) };
    });
    const unqualified = judged.filter((entry) => !entry.qualification.qualified);
    if (unqualified.length > 0) {
      throw new DomainError(
        ErrorCode.EQUIPMENT_NOT_QUALIFIED,
        `Equipment not qualified at ${use.usedAt.toISOString()}: ${unqualified.map((e) => e.equipment.code).join(', ')}`,
        {
          usedAt: use.usedAt,
          equipment: unqualified.map(({ equipment, qualification }) => ({
            id: equipment.id,
            code: equipment.code,
            reason: qualification.reason,
            dueAt: qualification.dueAt,
          })),
        },
      );
    }
    const usages = judged.map(({ equipment, qualification }) => ({
      equipmentId: equipment.id,
      batchId: use.batchId,
      eventType: use.eventType,
      eventId: use.eventId,
      usedAt: use.usedAt,
      calibrationId: qualification.calibrationId,
      calibrationDueAt: qualification.dueAt,
      recordedAt: tx.now,
    }));
    await this.equipment.insertUsages(usages, tx.manager);
    tx.audit({
      action: 'batch.equipment_used',
      entityType: 'batch',
      entityId: use.batchId,
      after: {
        eventType: use.eventType,
        eventId: use.eventId,
        usedAt: use.usedAt,
        equipment: judged.map(({ equipment, qualification }) => ({
          id: equipment.id,
          code: equipment.code,
          calibrationId: qualification.calibrationId,
          calibrationDueAt: qualification.dueAt,
        })),
      },
    });
  }

  /** The equipment a batch's steps used, with how it stood at each step (for the lineage). */
  async usagesOfBatch(batchId: string, manager?: EntityManager): Promise<EquipmentUseDto[]> {
    return (await this.equipment.usagesOfBatch(batchId, manager)).map((use) => ({
      id: use.equipmentId,
      code: use.code,
      kind: use.kind,
      name: use.name,
      eventType: use.eventType,
      eventId: use.eventId,
      usedAt: use.usedAt,
      calibrationId: use.calibrationId,
      calibrationDueAt: use.calibrationDueAt,
      qualified: true,
    }));
  }

  /** CALIBRATION_DUE for one piece at `now`, or null when it does not exist. */
  async calibrationDueCondition(
    equipmentId: string,
    now: Date,
    manager?: EntityManager,
  ): Promise<CalibrationDueCondition | null> {
    const equipment = await this.equipment.findById(equipmentId, manager);
    if (!equipment) return null;
    const due = calibrationDueAt(
      recordOf(equipment, await this.equipment.calibrationsOf([equipmentId], manager)),
      now,
    );
    return { ...due, code: equipment.code, name: equipment.name };
  }

  /** Every piece's id, for the calibration sweep. */
  allIds(): Promise<string[]> {
    return this.equipment.allIds();
  }

  private view(equipment: EquipmentEntity, calibrations: EquipmentCalibrationEntity[]): EquipmentViewDto {
    const now = qualificationAt(recordOf(equipment, calibrations), this.clock.now());
    return {
      id: equipment.id,
      code: equipment.code,
      kind: equipment.kind,
      name: equipment.name,
      calibrationDueAt: now.dueAt,
      qualified: now.qualified,
      notQualifiedBecause: now.reason,
      calibrations,
      createdBy: equipment.createdBy,
      createdAt: equipment.createdAt,
    };
  }

  private emitCalibrationChanged(tx: TransactionContext, equipmentId: string): void {
    tx.emit({
      type: DomainEvent.EQUIPMENT_CALIBRATION_CHANGED,
      subjectType: 'equipment',
      subjectId: equipmentId,
    });
  }
}

function recordOf(
  equipment: EquipmentEntity,
  calibrations: readonly EquipmentCalibrationEntity[],
): CalibrationRecord {
  return {
    initialDueAt: equipment.calibrationDueAt,
    calibrations: calibrations.filter((calibration) => calibration.equipmentId === equipment.id),
  };
}
