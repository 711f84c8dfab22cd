import { Module } from '@nestjs/common';
import { VialRecordsModule } from '../bank/vial-records.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { EnvironmentModule } from '../environment/environment.module';
import { CustodyController } from './custody.controller';
import { CustodyRepository } from './custody.repository';
import { CustodyService } from './custody.service';
import { LineageController } from './lineage.controller';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';
import { OutcomeReportController } from './outcome-report.controller';
import { OutcomeReportRepository } from './outcome-report.repository';
import { OutcomeReportService } from './outcome-report.service';

/**
 * The wide reads across modules (docs/architecture.md, "Read model"): a batch's lineage and the outcome report; next the batch
 * record, custody timelines and look-back. It may read the tables in READ_MODEL_TABLES and write none; what
 * an owner already answers (a batch view, a donor, a vial) it asks the owner's service for. No module imports
 * it, so it can depend on all of them without a cycle.
 */
@Module({
  imports: [BatchesModule, DonorsModule, VialRecordsModule, EnvironmentModule],
  controllers: [LineageController, CustodyController, OutcomeReportController],
  providers: [
    LineageRepository,
    LineageService,
    CustodyRepository,
    CustodyService,
    OutcomeReportRepository,
    OutcomeReportService,
  ],
})
export class ReadModelModule {}
