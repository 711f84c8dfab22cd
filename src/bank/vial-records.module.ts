import { Module } from '@nestjs/common';
import { VialRecordsRepository } from './vial-records.repository';
import { VialRecordsService } from './vial-records.service';

/** Reads of banked vials for the batch lineage and material recall lists; imports nothing, so no module cycle. */
@Module({
  providers: [VialRecordsRepository, VialRecordsService],
  exports: [VialRecordsService],
})
export class VialRecordsModule {}
