import { Injectable } from '@nestjs/common';
import { JobQueueName } from '../job-names';
import { JobProcessor } from '../workers/job-processor';
import { ExpiryService } from './expiry.service';

@Injectable()
export class ExpiryProcessor extends JobProcessor {
  readonly queue = JobQueueName.EXPIRY;

  constructor(protected readonly rules: ExpiryService) {
    super();
  }
}
