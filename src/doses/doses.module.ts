import { ScanVerificationModule } from '../labels/scan-verification.module';
import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { ErrorCode } from '../common/errors/error-code';
import { DonorsModule } from '../donors/donors.module';
import { MaterialsModule } from '../materials/materials.module';
import { DosesController } from './doses.controller';
import { DosesRepository } from './doses.repository';
import { DosesService } from './doses.service';

// Rule 9: two formulations racing over the last cells both pass the service's check; the CHECK constraint
// on the batch row refuses the second, and that refusal means "not enough cells left".
registerConstraintCode('batches_cells_conserved', ErrorCode.INSUFFICIENT_CELLS);

@Module({
  imports: [BatchesModule, DonorsModule, MaterialsModule, ScanVerificationModule],
  controllers: [DosesController],
  providers: [DosesService, DosesRepository],
  exports: [DosesService],
})
export class DosesModule {}
