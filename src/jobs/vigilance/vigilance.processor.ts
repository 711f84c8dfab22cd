import { Injectable } from '@nestjs/common';
import { JobQueueName } from '../job-names';
import { JobProcessor } from '../workers/job-processor';
import { VigilanceFlagsService } from './vigilance-flags.service';

@Injectable()
export class VigilanceProcessor extends JobProcessor {
  readonly queue = JobQueueName.VIGILANCE;

  constructor(protected readonly rules: VigilanceFlagsService) {
    super();
  }
}
