import { Module } from '@nestjs/common';
import { VialRecordsModule } from '../bank/vial-records.module';
import { BatchesModule } from '../batches/batches.module';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DonorsModule } from '../donors/donors.module';
import { DosesModule } from '../doses/doses.module';
import { FlagsModule } from '../flags/flags.module';
import { OutcomeFlags } from './outcome-flags.service';
import { OutcomeReader } from './outcome-reader.service';
import { OutcomesController } from './outcomes.controller';
import { OutcomesRepository } from './outcomes.repository';
import { OutcomesService } from './outcomes.service';

// The same knee assessed twice at one instant is one visit typed twice.
registerConstraintCode('outcome_assessments_one_per_moment', ErrorCode.DUPLICATE);

/**
 * Outcomes (docs/outcomes.md): pain baselines and follow-ups per knee, and the flags of the treatment plan
 * (VISIT_AT_RISK, FOLLOW_UP_DUE, BOOSTER_CANDIDATE). Knee gradings are the donors module's, the injection plan
 * the batches module's; this module hears their events.
 */
@Module({
  imports: [DonorsModule, BatchesModule, DosesModule, VialRecordsModule, FlagsModule],
  controllers: [OutcomesController],
  providers: [OutcomesRepository, OutcomeReader, OutcomeFlags, OutcomesService],
  exports: [OutcomeFlags],
})
export class OutcomesModule {}
