import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DosesModule } from '../doses/doses.module';
import { BatchDecisionsController } from './batch-decisions.controller';
import { BatchDecisionsRepository } from './batch-decisions.repository';
import { BatchDecisionsService } from './batch-decisions.service';
import { DeviationsController } from './deviations.controller';
import { DeviationsRepository } from './deviations.repository';
import { DeviationsService } from './deviations.service';
import { QcResultsController } from './qc-results.controller';
import { QcResultsRepository } from './qc-results.repository';
import { QcResultsService } from './qc-results.service';
import { SpecificationsRepository } from './specifications.repository';

// Rule 6: the primary key on batch_decisions.batch_id is the referee between two QA users deciding at once.
registerConstraintCode('batch_decisions_pkey', ErrorCode.ALREADY_DECIDED);
// A result is corrected at most once (no forked history); the loser of a race is told to correct the newest.
registerConstraintCode('qc_results_corrects_once', ErrorCode.INVALID_TRANSITION);

/** Specifications, QC results, deviations, and the release decision under electronic signature. */
@Module({
  imports: [BatchesModule, DosesModule],
  controllers: [QcResultsController, DeviationsController, BatchDecisionsController],
  providers: [
    QcResultsService,
    DeviationsService,
    BatchDecisionsService,
    QcResultsRepository,
    DeviationsRepository,
    BatchDecisionsRepository,
    SpecificationsRepository,
  ],
})
export class QualityModule {}
