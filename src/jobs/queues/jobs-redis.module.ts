import { Module } from '@nestjs/common';
import { JobsRedis } from './jobs-redis';

/**
 * Holds the one JobsRedis of the process. It is a module of its own so that BullModule.forRootAsync (which
 * resolves its factory in its own module) and JobsModule share the same producer connection instead of each
 * opening one.
 */
@Module({
  providers: [JobsRedis],
  exports: [JobsRedis],
})
export class JobsRedisModule {}
