import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BankModule } from '../bank/bank.module';
import { VialRecordsModule } from '../bank/vial-records.module';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DonorsModule } from '../donors/donors.module';
import { DosesModule } from '../doses/doses.module';
import { AdverseEventsController } from './adverse-events.controller';
import { AdverseEventsRepository } from './adverse-events.repository';
import { AdverseEventsService } from './adverse-events.service';
import { VigilanceFlagConditions } from './vigilance-flags.service';

// A report and a conclusion are each signed once (the trigger raises under this name when two race).
registerConstraintCode('adverse_events_decided_once', ErrorCode.ALREADY_DECIDED);
registerConstraintCode('adverse_events_serious_reported_first', ErrorCode.INVALID_TRANSITION);

/**
 * Vigilance (docs/vigilance.md): adverse events, their reporting clocks, the signed report and conclusion,
 * and the infection hold on banked vials. For other modules: `AdverseEventsService.visible` (the read
 * model's look-back) and `VigilanceFlagConditions` (the vigilance job).
 */
@Module({
  imports: [AuthModule, BankModule, VialRecordsModule, DonorsModule, DosesModule],
  controllers: [AdverseEventsController],
  providers: [AdverseEventsRepository, AdverseEventsService, VigilanceFlagConditions],
  exports: [AdverseEventsService, VigilanceFlagConditions],
})
export class VigilanceModule {}
