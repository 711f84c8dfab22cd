import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BankModule } from '../bank/bank.module';
import { CellsCryopreserved } from '../bank/events/cells-cryopreserved.event';
import { CultureStepRecorded } from '../batches/events/culture-step-recorded.event';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { EventBus } from '../common/events/event-bus';
import { QcResultRecorded } from '../quality/events/qc-result-recorded.event';
import { EnvironmentFlagConditions } from './environment-flags.service';
import { EnvironmentalSamplesController } from './environmental-samples.controller';
import { EnvironmentalSamplesRepository } from './environmental-samples.repository';
import { EnvironmentalSamplesService } from './environmental-samples.service';
import { EquipmentController } from './equipment.controller';
import { EquipmentRepository } from './equipment.repository';
import { EquipmentService } from './equipment.service';
import { ExcursionsController } from './excursions.controller';
import { ExcursionsRepository } from './excursions.repository';
import { ExcursionsService } from './excursions.service';
import { RunStatesRepository } from './run-states.repository';
import { StorageUnitTemperaturesController } from './storage-unit-temperatures.controller';
import { TemperatureReadingsController } from './temperature-readings.controller';
import { TemperatureReadingsRepository } from './temperature-readings.repository';
import { TemperatureReadingsService } from './temperature-readings.service';
import { UnitConditionsRepository } from './unit-conditions.repository';
import { UnitConditionsService } from './unit-conditions.service';

// A disposition is signed once (the trigger raises under this name when two race past the row lock).
registerConstraintCode('excursions_disposed_once', ErrorCode.ALREADY_DECIDED);
registerConstraintCode('vial_holds_released_once', ErrorCode.INVALID_TRANSITION);
registerConstraintCode('storage_unit_conditions_range', ErrorCode.VALIDATION_FAILED);
registerConstraintCode('equipment_calibrations_due_after', ErrorCode.VALIDATION_FAILED);

/**
 * Cold chain, equipment and environment (docs/environment.md): temperature readings and excursions with the
 * vial holds they place, equipment qualification for the steps that use it, environmental monitoring.
 *
 * For other modules: `EquipmentService.usagesOfBatch(batchId)` (the lineage) and `EnvironmentFlagConditions`
 * (the flag jobs). It hears the culture steps, QC results and cryopreservations on the event bus to judge the
 * equipment they name, so none of those modules imports this one.
 */
@Module({
  imports: [AuthModule, BankModule],
  controllers: [
    TemperatureReadingsController,
    StorageUnitTemperaturesController,
    ExcursionsController,
    EquipmentController,
    EnvironmentalSamplesController,
  ],
  providers: [
    UnitConditionsRepository,
    RunStatesRepository,
    TemperatureReadingsRepository,
    ExcursionsRepository,
    EquipmentRepository,
    EnvironmentalSamplesRepository,
    UnitConditionsService,
    ExcursionsService,
    TemperatureReadingsService,
    EquipmentService,
    EnvironmentalSamplesService,
    EnvironmentFlagConditions,
  ],
  exports: [EquipmentService, EnvironmentFlagConditions],
})
export class EnvironmentModule implements OnModuleInit {
  constructor(
    private readonly events: EventBus,
    private readonly equipment: EquipmentService,
  ) {}

  onModuleInit(): void {
    this.events.onEvent(CultureStepRecorded, 'environment.equipment-of-culture-step', (tx, event) =>
      this.equipment.recordUse(tx, {
        equipmentIds: event.equipmentIds,
        batchId: event.batchId,
        eventType: event.step,
        eventId: event.stepId,
        usedAt: event.at,
      }),
    );
    this.events.onEvent(QcResultRecorded, 'environment.equipment-of-qc-result', (tx, event) =>
      this.equipment.recordUse(tx, {
        equipmentIds: event.equipmentIds,
        batchId: event.batchId,
        eventType: 'QC_RESULT',
        eventId: event.qcResultId,
        usedAt: event.at,
      }),
    );
    this.events.onEvent(CellsCryopreserved, 'environment.equipment-of-cryopreservation', (tx, event) =>
      this.equipment.recordUse(tx, {
        equipmentIds: event.equipmentIds,
        batchId: event.batchId,
        eventType: 'CRYOPRESERVATION',
        eventId: event.cryopreservationId,
        usedAt: event.at,
      }),
    );
  }
}
