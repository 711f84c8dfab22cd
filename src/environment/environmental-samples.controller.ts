import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import {
  ListSamplesQuery,
  RecordSampleDto,
  SamplePageDto,
  SampleViewDto,
} from './dto/environmental-sample.dto';
import { EnvironmentalSamplesService } from './environmental-samples.service';

@ApiTags('environmental monitoring')
@Controller('environmental-samples')
export class EnvironmentalSamplesController {
  constructor(private readonly samples: EnvironmentalSamplesService) {}

  @Post()
  @Roles('technician', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record a cleanroom sample, judged against its action limit',
    description:
      'EU GMP Annex 1 (2022) table 6 by default, kept as data: at or over the limit is ACTION (grade A: any growth) ' +
      'and raises ENVIRONMENT_ACTION; no limit is set for glove prints in grades C and D (`limit: null`).',
  })
  @ApiCreatedResponse({ type: SampleViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  record(@CurrentUser() user: AuthUser, @Body() dto: RecordSampleDto): Promise<SampleViewDto> {
    return this.samples.record(user, dto);
  }

  @Get()
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'Samples, newest sampled first, by room and period [from, to)' })
  @ApiOkResponse({ type: SamplePageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad query, or from not before to'])
  list(@Query() query: ListSamplesQuery): Promise<Page<SampleViewDto>> {
    return this.samples.list(query);
  }
}
