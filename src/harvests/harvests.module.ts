import { ScanVerificationModule } from '../labels/scan-verification.module';
import { Module } from '@nestjs/common';
import { DonorsModule } from '../donors/donors.module';
import { HarvestsController } from './harvests.controller';
import { HarvestsRepository } from './harvests.repository';
import { HarvestsService } from './harvests.service';

/** Tissue collection and CPC receipt. Other modules call HarvestsService only. */
@Module({
  imports: [DonorsModule, ScanVerificationModule],
  controllers: [HarvestsController],
  providers: [HarvestsRepository, HarvestsService],
  exports: [HarvestsService],
})
export class HarvestsModule {}
