import { Module } from '@nestjs/common';
import { FlagsController } from './flags.controller';
import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';

/**
 * Flags and their API. The jobs module raises and resolves them through {@link FlagsService.reconcile}; users
 * list and acknowledge them.
 */
@Module({
  controllers: [FlagsController],
  providers: [FlagsRepository, FlagsService],
  exports: [FlagsService],
})
export class FlagsModule {}
