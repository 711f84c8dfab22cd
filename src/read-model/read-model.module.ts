import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { VialRecordsModule } from '../bank/vial-records.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { EnvironmentModule } from '../environment/environment.module';
import { MaterialsModule } from '../materials/materials.module';
import { BatchRecordService } from './batch-record.service';
import { CustodyController } from './custody.controller';
import { CustodyRepository } from './custody.repository';
import { CustodyService } from './custody.service';
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
import { OutcomeReportController } from './outcome-report.controller';
import { OutcomeReportRepository } from './outcome-report.repository';
import { OutcomeReportService } from './outcome-report.service';
import { RecallController } from './recall.controller';
import { RecallRepository } from './recall.repository';
import { RecallService } from './recall.service';
import { ReadinessFactsRepository } from './readiness-facts.repository';
import { DoseExpiryFactsRepository } from './dose-expiry-facts.repository';

/**
 * The wide reads across modules (docs/architecture.md, "Read model"): a batch's lineage, the batch record's
 * data, custody timelines, a material lot's recall list, an adverse event's look-back, the periodic report, the
 * outcome report, and the facts the readiness and dose-expiry sweeps derive their flags from. It may read the
 * tables in READ_MODEL_TABLES and write none; what an owner already answers (a batch view, a donor, a vial) it
 * asks the owner's service for. Only the records module (src/records, the documents built on its data) and the
 * jobs (src/jobs) import it, so it can depend on all the others without a cycle.
 */
@Module({
  imports: [
    AuthModule,
    BatchesModule,
    DonorsModule,
    VialRecordsModule,
    BankModule,
    EnvironmentModule,
    MaterialsModule,
    VigilanceModule,
  ],
  controllers: [
    LineageController,
    CustodyController,
    LookbackController,
    PeriodicReportController,
    OutcomeReportController,
    RecallController,
  ],
  providers: [
    LineageRepository,
    LineageService,
    CustodyRepository,
    CustodyService,
    BatchRecordService,
    LookbackRepository,
    LookbackService,
    PeriodicReportRepository,
    PeriodicReportService,
    OutcomeReportRepository,
    OutcomeReportService,
    RecallRepository,
    RecallService,
    ReadinessFactsRepository,
    DoseExpiryFactsRepository,
  ],
  exports: [BatchRecordService, PeriodicReportService, ReadinessFactsRepository, DoseExpiryFactsRepository],
})
export class ReadModelModule {}
