import { Injectable } from '@nestjs/common';
import { JobQueueName } from '../job-names';
import { JobProcessor } from '../workers/job-processor';
import { EnvironmentFlagsService } from './environment-flags.service';

@Injectable()
export class EnvironmentProcessor extends JobProcessor {
  readonly queue = JobQueueName.ENVIRONMENT;

  constructor(protected readonly rules: EnvironmentFlagsService) {
    super();
  }
}
