import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { DosesModule } from '../doses/doses.module';
import { HarvestsModule } from '../harvests/harvests.module';
import { LabelSubjects } from './label-subjects.service';
import { LabelsController } from './labels.controller';
import { LabelsRepository } from './labels.repository';
import { LabelsService } from './labels.service';
import { ScanVerificationModule } from './scan-verification.module';

/**
 * Labels and chain of custody (docs/labels.md): product codes, print runs and their PDF and ZPL, and
 * POST /scans/verify. The hand-offs' scan check is ScanVerificationModule, which the owning modules import.
 */
@Module({
  imports: [ScanVerificationModule, HarvestsModule, BatchesModule, BankModule, DosesModule, DonorsModule],
  controllers: [LabelsController],
  providers: [LabelsRepository, LabelsService, LabelSubjects],
  exports: [ScanVerificationModule],
})
export class LabelsModule {}
