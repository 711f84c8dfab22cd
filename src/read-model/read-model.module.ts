import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { VialRecordsModule } from '../bank/vial-records.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { EnvironmentModule } from '../environment/environment.module';
import { BatchRecordService } from './batch-record.service';
import { CustodyController } from './custody.controller';
import { CustodyRepository } from './custody.repository';
import { CustodyService } from './custody.service';
import { LineageController } from './lineage.controller';
import { LineageRepository } from './lineage.repository';
import { LineageService } from './lineage.service';

/**
 * The wide reads across modules (docs/architecture.md, "Read model"): today a batch's lineage; next the batch
 * record, custody timelines and look-back. It may read the tables in READ_MODEL_TABLES and write none; what
 * an owner already answers (a batch view, a donor, a vial) it asks the owner's service for. Only the records
 * module (src/records, the documents built on its data) imports it, so it can depend on all the others
 * without a cycle.
 */
@Module({
  imports: [AuthModule, BatchesModule, DonorsModule, VialRecordsModule, EnvironmentModule],
  controllers: [LineageController, CustodyController],
  providers: [LineageRepository, LineageService, CustodyRepository, CustodyService, BatchRecordService],
  exports: [BatchRecordService],
})
export class ReadModelModule {}
