import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BankModule } from '../bank/bank.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { ImportRunner } from './import-runner.service';
import { ImportsController } from './imports.controller';
import { ImportsProcessor } from './imports.processor';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { InventoryAssessor } from './inventory-assessor.service';

/**
 * Legacy bank imports (docs/imports.md): a CSV of banked vials checked (dry run) or imported as a resumable job.
 * Donors, batches and vials are written through their owners' legacy services; the jobs module runs
 * ImportsProcessor on the imports queue.
 */
@Module({
  imports: [AuthModule, DonorsModule, BatchesModule, BankModule],
  controllers: [ImportsController],
  providers: [ImportsRepository, InventoryAssessor, ImportRunner, ImportsService, ImportsProcessor],
  exports: [ImportsProcessor],
})
export class ImportsModule {}
