import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DerivedFlag } from '../flags/flags.service';
import { ExcursionStatus } from './domain/excursion-status';
import { EnvironmentalSamplesService } from './environmental-samples.service';
import { EquipmentService } from './equipment.service';
import { ExcursionsService } from './excursions.service';

const FACILITY = { clinicId: null, batchId: null, doseId: null, reviewId: null } as const;

/**
 * The conditions of the facility's flags, derived from this module's records for the jobs that raise and
 * resolve them (docs/environment.md): TEMPERATURE_EXCURSION until QA's disposition, CALIBRATION_DUE within
 * 14 days of the due date or after a failed calibration, ENVIRONMENT_ACTION for a sample at or over its limit.
 * Facility flags belong to no clinic.
 */
@Injectable()
export class EnvironmentFlagConditions {
  constructor(
    private readonly excursions: ExcursionsService,
    private readonly equipment: EquipmentService,
    private readonly samples: EnvironmentalSamplesService,
  ) {}

  async excursion(excursionId: string, manager: EntityManager): Promise<DerivedFlag | null> {
    const excursion = await this.excursions.find(excursionId, manager);
    if (!excursion) return null;
    return {
      holds: excursion.status !== ExcursionStatus.DISPOSED,
      details: {
        unitId: excursion.unitId,
        unitName: excursion.unitName,
        status: excursion.status,
        startedAt: excursion.startedAt.toISOString(),
        endedAt: excursion.endedAt?.toISOString() ?? null,
        maxC: excursion.maxC,
        vialsHeld: excursion.vials.filter((vial) => vial.held).length,
      },
      placement: FACILITY,
    };
  }

  /** The flag's condition now, and when it will hold if it does not yet. */
  async calibrationDue(
    equipmentId: string,
    manager: EntityManager,
    now: Date,
  ): Promise<{ derived: DerivedFlag | null; holdsFrom: Date | null }> {
    const due = await this.equipment.calibrationDueCondition(equipmentId, now, manager);
    if (!due) return { derived: null, holdsFrom: null };
    return {
      derived: {
        holds: due.holds,
        details: { code: due.code, name: due.name, dueAt: due.dueAt.toISOString(), failed: due.failed },
        placement: FACILITY,
      },
      holdsFrom: due.holds ? null : due.windowOpensAt,
    };
  }

  async environmentAction(sampleId: string, manager: EntityManager): Promise<DerivedFlag | null> {
    const sample = await this.samples.find(sampleId, manager);
    if (!sample) return null;
    return {
      holds: sample.outcome === 'ACTION',
      details: {
        room: sample.room,
        grade: sample.grade,
        method: sample.method,
        cfu: sample.cfu,
        limit: sample.limitCfu,
        sampledAt: sample.sampledAt.toISOString(),
      },
      placement: FACILITY,
    };
  }

  equipmentIds(): Promise<string[]> {
    return this.equipment.allIds();
  }
}
