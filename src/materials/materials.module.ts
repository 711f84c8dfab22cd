import { Module } from '@nestjs/common';
import { MaterialsController } from './materials.controller';
import { MaterialsRepository } from './materials.repository';
import { MaterialsService } from './materials.service';

/** Reagent lots and their usage. Other modules call MaterialsService.recordUsage inside their steps. */
@Module({
  controllers: [MaterialsController],
  providers: [MaterialsRepository, MaterialsService],
  exports: [MaterialsService],
})
export class MaterialsModule {}
