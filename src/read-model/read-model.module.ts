import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { VialRecordsModule } from '../bank/vial-records.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { EnvironmentModule } from '../environment/environment.module';
import { VigilanceModule } from '../vigilance/vigilance.module';
import { LineageController } from './lineage.controller';
import { LookbackController } from './lookback.controller';
import { LookbackRepository } from './lookback.repository';
import { LookbackService } from './lookback.service';
import { PeriodicReportController } from './periodic-report.controller';
import { PeriodicReportRepository } from './periodic-report.repository';
import { PeriodicReportService } from './periodic-report.service';
import { AuthModule } from '../auth/auth.module';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/**
 * The wide reads across modules (docs/architecture.md, "Read model"): a batch's lineage and an adverse event's
 * look-back; next the batch record and custody timelines. It may read the tables in READ_MODEL_TABLES and write none; what
 * an owner already answers (a batch view, a donor, a vial) it asks the owner's service for. No module imports
 * it, so it can depend on all of them without a cycle.
 */
@Module({
  imports: [
    AuthModule,
    BatchesModule,
    DonorsModule,
    VialRecordsModule,
    BankModule,
    EnvironmentModule,
    VigilanceModule,
  ],
  controllers: [LineageController, LookbackController, PeriodicReportController],
  providers: [
    LineageRepository,
    LineageService,
    LookbackRepository,
    LookbackService,
    PeriodicReportRepository,
    PeriodicReportService,
  ],
})
export class ReadModelModule {}
