import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { Page, PageQuery } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { DeviationsService } from './deviations.service';
import { CloseDeviationDto } from './dto/close-deviation.dto';
import { DeviationPageDto, DeviationViewDto } from './dto/deviation-view.dto';
import { RecordDeviationDto } from './dto/record-deviation.dto';

@ApiTags('quality')
@Controller()
export class DeviationsController {
  constructor(private readonly deviations: DeviationsService) {}

  @Post('batches/:id/deviations')
  @Roles('technician', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Open a deviation on a batch',
    description: 'Any state before the decision. An open deviation blocks release (422 DEVIATION_OPEN).',
  })
  @ApiCreatedResponse({ type: DeviationViewDto, description: 'status OPEN' })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such batch'],
    [ErrorCode.INVALID_TRANSITION, 'The batch is released, rejected or discarded'],
  )
  open(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: RecordDeviationDto,
  ): Promise<DeviationViewDto> {
    return this.deviations.open(user, batchId, dto);
  }

  @Get('batches/:id/deviations')
  @AnyRole()
  @ApiOperation({ summary: "A batch's deviations, newest first (doctor: own clinic)" })
  @ApiOkResponse({ type: DeviationPageDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, bad limit or cursor'],
    [ErrorCode.NOT_FOUND, "No such batch, or another clinic's"],
  )
  listOfBatch(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Query() query: PageQuery,
  ): Promise<Page<DeviationViewDto>> {
    return this.deviations.listOfBatch(user, batchId, query);
  }

  @Post('deviations/:id/close')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Close a deviation under an electronic signature',
    description:
      'The QA user re-enters their password; the signature (printed name, meaning, time, hash of the deviation and its resolution) is stored. Closed once.',
  })
  @ApiOkResponse({ type: DeviationViewDto, description: 'status CLOSED' })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such deviation'],
    [ErrorCode.ALREADY_DECIDED, 'Closed already'],
    [ErrorCode.SIGNATURE_INVALID, 'Wrong password, counts toward the lock-out'],
    [ErrorCode.RATE_LIMITED, 'The signer is locked out'],
  )
  close(
    @CurrentUser() user: AuthUser,
    @UuidParam() deviationId: string,
    @Body() dto: CloseDeviationDto,
  ): Promise<DeviationViewDto> {
    return this.deviations.close(user, deviationId, dto);
  }
}
