import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { storageUnitSummary } from '../bank/dto/storage-unit-view.dto';
import { StorageUnitsService } from '../bank/storage-units.service';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import {
  changedLimits,
  DEFAULT_LIMITS,
  isMonitoredKind,
  limitsProblem,
  MonitoredUnitKind,
  TemperatureLimits,
} from './domain/temperature-limits';
import { limitsView, PatchStorageUnitDto, StorageUnitWithLimitsDto } from './dto/unit-temperatures.dto';
import { UnitConditionsRepository } from './unit-conditions.repository';

/** A tank or freezer as the temperature checks know it. */
export interface MonitoredUnit {
  id: string;
  name: string;
  path: string;
  kind: MonitoredUnitKind;
}

const LIMIT_FIELDS = ['minC', 'maxC', 'excursionMinutes'] as const;

/**
 * The temperature limits of tanks and freezers (docs/environment.md, "Temperature limits"): the kind's
 * defaults until an administrator sets them, each change audited on the unit with its values before and after.
 */
@Injectable()
export class UnitConditionsService {
  constructor(
    private readonly conditions: UnitConditionsRepository,
    private readonly units: StorageUnitsService,
    private readonly transactions: Transactions,
  ) {}

  /** The unit, which must exist (404) and be a TANK or FREEZER (422 STORAGE_UNSUITABLE). */
  async monitoredUnit(unitId: string, manager?: EntityManager): Promise<MonitoredUnit> {
    const unit = await this.units.find(unitId, manager);
    if (!unit) throw notFound('Storage unit', unitId);
    if (!isMonitoredKind(unit.kind)) throw notMonitored(unit.kind);
    return { id: unit.id, name: unit.name, path: unit.path, kind: unit.kind };
  }

  async limitsOf(
    unit: { id: string; kind: MonitoredUnitKind },
    manager?: EntityManager,
  ): Promise<TemperatureLimits> {
    const row = await this.conditions.find(unit.id, manager);
    return row
      ? { minC: row.minC, maxC: row.maxC, excursionMinutes: row.excursionMinutes }
      : { ...DEFAULT_LIMITS[unit.kind] };
  }

  /**
   * PATCH /storage-units/:id. Checks, in order: something to change and no field set to null but minC (400);
   * the unit (404); limits only on a TANK or FREEZER (422 STORAGE_UNSUITABLE); the range not empty (400); a
   * sibling of the new name (409 DUPLICATE, from the database).
   */
  async patch(user: AuthUser, unitId: string, dto: PatchStorageUnitDto): Promise<StorageUnitWithLimitsDto> {
    assertPatchShape(dto);
    return this.transactions.run(actorOf(user), async (tx) => {
      const unit = await this.units.lockForChange(tx, unitId);
      const changesLimits = LIMIT_FIELDS.some((field) => dto[field] !== undefined);
      const monitored = isMonitoredKind(unit.kind) ? unit.kind : null;
      if (changesLimits && monitored === null) throw notMonitored(unit.kind);
      const before = monitored ? await this.limitsOf({ id: unit.id, kind: monitored }, tx.manager) : null;
      let after = before;
      if (changesLimits && before && monitored) {
        after = changedLimits(before, dto);
        const problem = limitsProblem(after);
        if (problem) throw validationFailed([{ field: 'minC', errors: [problem] }]);
        await this.conditions.save(
          { unitId: unit.id, unitKind: monitored, ...after, updatedBy: user.id, updatedAt: tx.now },
          tx.manager,
        );
      }
      const summary =
        dto.name !== undefined ? await this.units.rename(tx, unit, dto.name) : storageUnitSummary(unit);
      tx.audit({
        action: 'storage_unit.changed',
        entityType: 'storage_unit',
        entityId: unit.id,
        before: { name: unit.name, path: unit.path, limits: before },
        after: { name: summary.name, path: summary.path, limits: after },
      });
      return { ...summary, limits: after ? limitsView(after) : null };
    });
  }
}

function assertPatchShape(dto: PatchStorageUnitDto): void {
  const given = (['name', ...LIMIT_FIELDS] as const).filter((field) => dto[field] !== undefined);
  if (given.length === 0) {
    throw validationFailed([
      { field: 'body', errors: ['name, minC, maxC or excursionMinutes must be given'] },
    ]);
  }
  const nulls = (['name', 'maxC', 'excursionMinutes'] as const).filter((field) => dto[field] === null);
  if (nulls.length > 0)
    throw validationFailed(nulls.map((field) => ({ field, errors: [`${field} must not be null`] })));
}

function notMonitored(kind: string): DomainError {
  return new DomainError(
    ErrorCode.STORAGE_UNSUITABLE,
    `A ${kind} has no temperature of its own: readings and limits belong to its TANK or FREEZER`,
    { kind },
  );
}
