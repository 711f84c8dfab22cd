import { Module } from '@nestjs/common';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DonorsModule } from '../donors/donors.module';
import { HarvestsModule } from '../harvests/harvests.module';
import { MaterialsModule } from '../materials/materials.module';
import { BatchReadRepository } from './batch-read.repository';
import { BatchRecordsController } from './batch-records.controller';
import { BatchStepsController } from './batch-steps.controller';
import { BatchStepsRepository } from './batch-steps.repository';
import { BatchStepsService } from './batch-steps.service';
import { BatchViewsService } from './batch-views.service';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { InjectionPlanController } from './injection-plan.controller';
import { InjectionPlanReader } from './injection-plan-reader.service';
import { InjectionPlansRepository } from './injection-plans.repository';
import { InjectionPlansService } from './injection-plans.service';
import { LegacyBatchesRepository } from './legacy-batches.repository';
import { LegacyBatchesService } from './legacy-batches.service';

// The schema is the last word when two requests race past the checks made under the batch's row lock.
registerConstraintCode('batches_cells_conserved', ErrorCode.INSUFFICIENT_CELLS);
registerConstraintCode('batch_passages_one_current', ErrorCode.PASSAGE_OUT_OF_ORDER);
registerConstraintCode('batch_isolations_once', ErrorCode.INVALID_TRANSITION);
registerConstraintCode('batch_final_harvests_one_current', ErrorCode.INVALID_TRANSITION);
registerConstraintCode('batch_passages_corrects_once', ErrorCode.INVALID_TRANSITION);
registerConstraintCode('batch_cell_counts_corrects_once', ErrorCode.INVALID_TRANSITION);
registerConstraintCode('batch_final_harvests_corrects_once', ErrorCode.INVALID_TRANSITION);
// Two replans that both missed the batch's row lock would both be the next version; one loses.
registerConstraintCode('injection_plans_version_unique', ErrorCode.DUPLICATE);

/** Batches: creation with DIN, the culture steps, growth, the injection plan and views. Other modules call BatchesService. */
@Module({
  imports: [DonorsModule, HarvestsModule, MaterialsModule],
  controllers: [BatchesController, BatchStepsController, BatchRecordsController, InjectionPlanController],
  providers: [
    BatchesRepository,
    BatchStepsRepository,
    BatchReadRepository,
    BatchesService,
    BatchStepsService,
    BatchViewsService,
    InjectionPlansRepository,
    InjectionPlanReader,
    InjectionPlansService,

    LegacyBatchesRepository,
    LegacyBatchesService,
  ],
  exports: [BatchesService, InjectionPlanReader, LegacyBatchesService],
})
export class BatchesModule {}
