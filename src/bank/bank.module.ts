import { ScanVerificationModule } from '../labels/scan-verification.module';
import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DonorsModule } from '../donors/donors.module';
import { DosesModule } from '../doses/doses.module';
import { MaterialsModule } from '../materials/materials.module';
import { BankRecordsController } from './bank-records.controller';
import { BoostersController } from './boosters.controller';
import { BoostersRepository } from './boosters.repository';
import { BoostersService } from './boosters.service';
import { CryopreservationController } from './cryopreservation.controller';
import { CryopreservationService } from './cryopreservation.service';
import { CryopreservationsRepository } from './cryopreservations.repository';
import { InventoryRepository } from './inventory.repository';
import { InventoryService } from './inventory.service';
import { ReconciliationsRepository } from './reconciliations.repository';
import { ReconciliationsService } from './reconciliations.service';
import { ReviewScheduler } from './review-scheduler.service';
import { StorageReviewsController } from './storage-reviews.controller';
import { StorageReviewsRepository } from './storage-reviews.repository';
import { StorageReviewsService } from './storage-reviews.service';
import { StorageUnitsController } from './storage-units.controller';
import { StorageUnitsRepository } from './storage-units.repository';
import { StorageUnitsService } from './storage-units.service';
import { VialHoldsRepository } from './vial-holds.repository';
import { VialHolds } from './vial-holds.service';
import { VialPlacement } from './vial-placement.service';
import { VialPresenceRepository } from './vial-presence.repository';
import { VialPresence } from './vial-presence.service';
import { VialsController } from './vials.controller';
import { VialsRepository } from './vials.repository';
import { VialsService } from './vials.service';
import { LegacyVialsRepository } from './legacy-vials.repository';
import { LegacyVialsService } from './legacy-vials.service';

// The schema is the referee when commands race past the checks made under their locks.
// Rule 6, a position holds one vial: two placements into one position, the second loses.
registerConstraintCode('vials_one_live_per_position', ErrorCode.POSITION_OCCUPIED);
// Rule 6, a storage review is decided once (the trigger raises under this name).
registerConstraintCode('storage_reviews_decided_once', ErrorCode.ALREADY_DECIDED);
// Rule 9: vials draw viable cells like doses do; over-drawing is "not enough cells left".
registerConstraintCode('batches_cells_conserved', ErrorCode.INSUFFICIENT_CELLS);
// Rule 13: banked cells live in liquid-nitrogen tanks; the service says so first with more detail.
registerConstraintCode('vials_in_tank', ErrorCode.STORAGE_UNSUITABLE);
registerConstraintCode('vials_position_in_box', ErrorCode.VALIDATION_FAILED);
registerConstraintCode('boosters_dose_once', ErrorCode.INVALID_TRANSITION);

/**
 * The cell bank: storage hierarchy, cryopreservation, vials (moves, witnessed thaws, discards), boosters,
 * reconciliation, inventory and storage reviews (docs/domain.md, rules 1, 2, 6, 8, 9, 13).
 *
 * Reacts to the donors module's BankingConsentChanged on the event bus (StorageReviewsService.onModuleInit). Banked vials for other modules' records are read
 * through VialRecordsModule (no imports, so batches and materials can use it without a cycle).
 */
@Module({
  imports: [DonorsModule, BatchesModule, DosesModule, MaterialsModule, ScanVerificationModule],
  controllers: [
    StorageUnitsController,
    CryopreservationController,
    VialsController,
    BoostersController,
    StorageReviewsController,
    BankRecordsController,
  ],
  providers: [
    StorageUnitsRepository,
    VialsRepository,
    CryopreservationsRepository,
    BoostersRepository,
    StorageReviewsRepository,
    ReconciliationsRepository,
    InventoryRepository,
    StorageUnitsService,
    VialPlacement,
    ReviewScheduler,
    CryopreservationService,
    VialsService,
    BoostersService,
    StorageReviewsService,
    ReconciliationsService,
    InventoryService,
    VialHoldsRepository,
    VialHolds,
    VialPresenceRepository,
    VialPresence,
    LegacyVialsRepository,
    LegacyVialsService,
  ],
  // For the environment module (docs/environment.md): holds, presence in a tank, discards, unit renames.
  // For the imports module (docs/imports.md): legacy vials. For the jobs module: the storage reviews' sweep.
  exports: [
    ReviewScheduler,
    StorageReviewsService,
    VialHolds,
    VialPresence,
    VialsService,
    StorageUnitsService,
    LegacyVialsService,
  ],
})
export class BankModule {}
