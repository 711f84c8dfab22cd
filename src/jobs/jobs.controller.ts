import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { JobIdPipe } from './dto/job-id.pipe';
import { JobRunStartedDto, JobRunViewDto } from './dto/job-run.dto';
import { SWEEP_QUEUE_NAMES } from './job-names';
import { JobsService } from './jobs.service';

const NAME_PARAM = {
  name: 'name',
  enum: SWEEP_QUEUE_NAMES,
  description: 'The processor: readiness, storage-review or expiry',
};
const REDIS_DOWN = {
  description:
    'Redis is unreachable (UNAVAILABLE); answered at once, nothing is lost: events wait in PostgreSQL',
  type: ErrorResponseDto,
};

@ApiTags('jobs')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post(':name/run')
  @Roles('admin')
  @HttpCode(202)
  @ApiIdempotencyKey()
  @ApiParam(NAME_PARAM)
  @ApiOperation({
    summary: 'Run a sweep now',
    description:
      "Queues a sweep that re-derives every flag of the processor's active set, as the scheduled ones do " +
      '(readiness every minute, storage review and expiry hourly). Follow it with GET /jobs/:name/runs/:jobId.',
  })
  @ApiAcceptedResponse({ type: JobRunStartedDto })
  @ApiErrors([ErrorCode.NOT_FOUND, 'No job of that name'])
  @ApiServiceUnavailableResponse(REDIS_DOWN)
  runSweep(@CurrentUser() user: AuthUser, @Param('name') name: string): Promise<JobRunStartedDto> {
    return this.jobs.runSweep(user, name);
  }

  @Get(':name/runs/:jobId')
  @Roles('admin')
  @ApiParam(NAME_PARAM)
  @ApiParam({ name: 'jobId', example: 'sweep-1f0e6c52-7a4b-4d3e-9c21-5b8a0d7e6f13' })
  @ApiOperation({
    summary: 'The state of a job run, and its result once completed (kept for a while after it finished)',
  })
  @ApiOkResponse({ type: JobRunViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'jobId is not a job id'],
    [ErrorCode.NOT_FOUND, 'No job of that name, or no such run'],
  )
  @ApiServiceUnavailableResponse(REDIS_DOWN)
  run(@Param('name') name: string, @Param('jobId', JobIdPipe) jobId: string): Promise<JobRunViewDto> {
    return this.jobs.run(name, jobId);
  }
}
