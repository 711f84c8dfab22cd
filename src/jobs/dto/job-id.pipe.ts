import { Injectable, PipeTransform } from '@nestjs/common';
import { validationFailed } from '../../common/validation/validation';

/** BullMQ job ids here: ours (`sweep-<uuid>`, `outbox-<n>`, ...) and the schedulers' (`repeat:<id>:<ms>`). */
const JOB_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

/** A `:jobId` path parameter that could not be a job id is `400 VALIDATION_FAILED`, before anything is looked up. */
@Injectable()
export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!JOB_ID.test(value))
      throw validationFailed([
        { field: 'jobId', errors: ['jobId must be 1-200 characters of [A-Za-z0-9_.:-]'] },
      ]);
    return value;
  }
}
