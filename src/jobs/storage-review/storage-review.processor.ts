import { Injectable } from '@nestjs/common';
import { JobQueueName } from '../job-names';
import { JobProcessor } from '../workers/job-processor';
import { StorageReviewService } from './storage-review.service';

@Injectable()
export class StorageReviewProcessor extends JobProcessor {
  readonly queue = JobQueueName.STORAGE_REVIEW;

  constructor(protected readonly rules: StorageReviewService) {
    super();
  }
}
