import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchViewsService } from './batch-views.service';
import { BatchesService } from './batches.service';
import { BatchPageDto, BatchViewDto } from './dto/batch-view.dto';
import { CreateBatchDto } from './dto/create-batch.dto';
import { ListBatchesQuery } from './dto/list-batches.query';

const BAD_INPUT = {
  description: 'Invalid body, query or id (VALIDATION_FAILED, details.fields names them)',
  type: ErrorResponseDto,
};
const HIDDEN = {
  description: "No such batch, or another clinic's for a doctor (NOT_FOUND)",
  type: ErrorResponseDto,
};

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
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({ description: 'No such harvest (NOT_FOUND)', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'The harvest is not RECEIVED (INVALID_TRANSITION), or has a batch already (DUPLICATE)',
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description: "The donor's screening is incomplete (SCREENING_INCOMPLETE)",
    type: ErrorResponseDto,
  })
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
  @ApiBadRequestResponse(BAD_INPUT)
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
  @ApiNotFoundResponse({
    description:
      "No batch with this DIN, a wrong check character, or another clinic's batch for a doctor (NOT_FOUND)",
    type: ErrorResponseDto,
  })
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
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(HIDDEN)
  view(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<BatchViewDto> {
    return this.views.view(user, id);
  }
}
