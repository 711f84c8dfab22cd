import { Module } from '@nestjs/common';
// The bank's read-only vial records (recall lists); VialRecordsModule imports nothing, so there is no module cycle.
import { VialRecordsModule } from '../bank/vial-records.module';
import { MaterialsController } from './materials.controller';
import { MaterialsRepository } from './materials.repository';
import { MaterialsService } from './materials.service';

/** Reagent lots and their usage. Other modules call MaterialsService.recordUsage inside their steps. */
@Module({
  imports: [VialRecordsModule],
  controllers: [MaterialsController],
  providers: [MaterialsRepository, MaterialsService],
  exports: [MaterialsService],
})
export class MaterialsModule {}
