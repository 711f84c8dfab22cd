import { Injectable } from '@nestjs/common';
import { JobQueueName } from '../job-names';
import { JobProcessor } from '../workers/job-processor';
import { ReadinessService } from './readiness.service';

@Injectable()
export class ReadinessProcessor extends JobProcessor {
  readonly queue = JobQueueName.READINESS;

  constructor(protected readonly rules: ReadinessService) {
    super();
  }
}
