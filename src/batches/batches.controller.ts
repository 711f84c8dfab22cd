import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchViewsService } from './batch-views.service';
import { BatchesService } from './batches.service';
import { BatchPageDto, BatchViewDto } from './dto/batch-view.dto';
import { CreateBatchDto } from './dto/create-batch.dto';
import { ListBatchesQuery } from './dto/list-batches.query';

const HIDDEN: [ErrorCode, string] = [ErrorCode.NOT_FOUND, "No such batch, or another clinic's for a doctor"];

@ApiTags('batches')
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesService,
    private readonly views: BatchViewsService,
  ) {}

  @Post()
  @Roles('technician')
  @ApiOperation({
    summary: 'Create the batch of a received harvest and assign its DIN',
    description:
      'One harvest is one donation: one batch, one DIN (ISBT 128: FIN, two-digit year in FACILITY_TZ, six-digit ' +
      'gapless sequence), with its MOD 37-2 check character. Takes the specification in force for the product. ' +
      'A REACTIVE donor is allowed (autologous) and the batch is marked biohazard.',
  })
  @ApiCreatedResponse({ type: BatchViewDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such harvest'],
    [ErrorCode.INVALID_TRANSITION, 'The harvest is not RECEIVED'],
    [ErrorCode.DUPLICATE, 'The harvest has a batch already'],
    [ErrorCode.SCREENING_INCOMPLETE, "The donor's screening is incomplete"],
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateBatchDto): Promise<BatchViewDto> {
    return this.batches.create(user, dto);
  }

  @Get()
  @AnyRole()
  @ApiOperation({
    summary: 'Batches, newest first',
    description:
      "A doctor sees only their clinic's batches. readyForInjection uses the same definition as the batch view.",
  })
  @ApiOkResponse({ type: BatchPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(@CurrentUser() user: AuthUser, @Query() query: ListBatchesQuery): Promise<BatchPageDto> {
    return this.views.list(user, query);
  }

  @Get('by-din/:din')
  @AnyRole()
  @ApiOperation({
    summary: 'A batch by its DIN, typed or scanned',
    description:
      'The 13-character DIN, or the DIN followed by its check character, which must then be right (else 404).',
  })
  @ApiParam({ name: 'din', example: 'X999926000123K' })
  @ApiOkResponse({ type: BatchViewDto })
  @ApiErrors([
    ErrorCode.NOT_FOUND,
    "No batch with this DIN, a wrong check character, or another clinic's batch for a doctor",
  ])
  byDin(@CurrentUser() user: AuthUser, @Param('din') din: string): Promise<BatchViewDto> {
    return this.views.viewByDin(user, din);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({
    summary: 'The batch view',
    description:
      'Growth (population doublings, projected ready date), cells yielded and remaining, QC state, deviations, ' +
      'decision and readiness for injection, all computed from the record when read.',
  })
  @ApiOkResponse({ type: BatchViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, HIDDEN)
  view(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<BatchViewDto> {
    return this.views.view(user, id);
  }
}
