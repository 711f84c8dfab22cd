import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
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
  @ApiBadRequestResponse({
    description: 'id not a UUID, invalid or unknown fields (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'No such batch (NOT_FOUND)', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'The batch is released, rejected or discarded (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
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
  @ApiBadRequestResponse({
    description: 'id not a UUID, bad limit or cursor (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({
    description: "No such batch, or another clinic's (NOT_FOUND)",
    type: ErrorResponseDto,
  })
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
  @ApiBadRequestResponse({
    description: 'id not a UUID, invalid or unknown fields (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'No such deviation (NOT_FOUND)', type: ErrorResponseDto })
  @ApiConflictResponse({ description: 'Closed already (ALREADY_DECIDED)', type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({
    description: 'Wrong password (SIGNATURE_INVALID, counts toward the lock-out)',
    type: ErrorResponseDto,
  })
  @ApiTooManyRequestsResponse({
    description: 'The signer is locked out (RATE_LIMITED)',
    type: ErrorResponseDto,
  })
  close(
    @CurrentUser() user: AuthUser,
    @UuidParam() deviationId: string,
    @Body() dto: CloseDeviationDto,
  ): Promise<DeviationViewDto> {
    return this.deviations.close(user, deviationId, dto);
  }
}
