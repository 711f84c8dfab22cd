import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { BatchViewDto } from '../batches/dto/batch-view.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchDecisionsService } from './batch-decisions.service';
import { AcceptLegacyDto } from './dto/accept-legacy.dto';
import { DecideBatchDto } from './dto/decide-batch.dto';
import { DiscardBatchDto } from './dto/discard-batch.dto';

@ApiTags('quality')
@Controller('batches/:id')
export class BatchDecisionsController {
  constructor(private readonly decisions: BatchDecisionsService) {}

  @Post('release')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Release or reject a culture-complete batch under an electronic signature',
    description:
      'The QA signer re-enters their password and states a meaning; the signature is stored with the decision and bound ' +
      'by `recordHash` (SHA-256) to the counting QC results and final harvest as signed. Checks in order: 404; 409 ' +
      'ALREADY_DECIDED, then 409 INVALID_TRANSITION (not CULTURE_COMPLETE); 422 SIGNATURE_INVALID; for RELEASE: 422 ' +
      'QC_NOT_PASSED, 422 DEVIATION_OPEN, 422 SAME_PERSON (the signer recorded something on the batch), 422 DOSE_EXPIRED ' +
      '(past final harvest + 48 h). A release sets `expiresAt`. A batch is decided once: of two concurrent decisions ' +
      'exactly one wins.',
  })
  @ApiOkResponse({ type: BatchViewDto, description: 'The batch view, with `decision`' })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'id not a UUID; invalid or unknown fields; reason missing for REJECT; blank meaning',
    ],
    [ErrorCode.NOT_FOUND, 'No such batch'],
    [ErrorCode.ALREADY_DECIDED, 'Decided already'],
    [ErrorCode.INVALID_TRANSITION, 'Not CULTURE_COMPLETE, or QC results changed while signing'],
    [ErrorCode.SIGNATURE_INVALID, 'Wrong password, counts toward the lock-out'],
    [ErrorCode.QC_NOT_PASSED, 'A QC result not passed'],
    [ErrorCode.DEVIATION_OPEN, 'An open deviation'],
    [ErrorCode.SAME_PERSON, 'The signer recorded something on the batch'],
    [ErrorCode.DOSE_EXPIRED, 'Past final harvest + 48 h'],
    [ErrorCode.RATE_LIMITED, 'The signer is locked out'],
  )
  decide(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: DecideBatchDto,
  ): Promise<BatchViewDto> {
    return this.decisions.decide(user, batchId, dto);
  }

  @Post('accept-legacy')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Accept a LEGACY batch's paper record under an electronic signature",
    description:
      'A batch imported from a legacy bank (docs/imports.md) waits in CULTURE_COMPLETE; its vials are not reserved ' +
      'until QA accepts its paper record here (password and meaning, like a release). The batch becomes RELEASED with ' +
      'a RELEASE decision and no shelf life. Checks in order: 404; 409 ALREADY_DECIDED, then 409 INVALID_TRANSITION ' +
      '(not a LEGACY batch in CULTURE_COMPLETE); 422 SIGNATURE_INVALID. Of two concurrent acceptances exactly one wins.',
  })
  @ApiOkResponse({ type: BatchViewDto, description: 'The batch view, RELEASED, with `decision`' })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID; invalid or unknown fields; blank meaning'],
    [ErrorCode.NOT_FOUND, 'No such batch'],
    [ErrorCode.ALREADY_DECIDED, 'Decided already'],
    [ErrorCode.INVALID_TRANSITION, 'Not a LEGACY batch awaiting acceptance'],
    [ErrorCode.SIGNATURE_INVALID, 'Wrong password, counts toward the lock-out'],
    [ErrorCode.RATE_LIMITED, 'The signer is locked out'],
  )
  acceptLegacy(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: AcceptLegacyDto,
  ): Promise<BatchViewDto> {
    return this.decisions.acceptLegacy(user, batchId, dto);
  }

  @Post('discard')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Discard a batch that is not decided yet (RECEIVED, IN_CULTURE or CULTURE_COMPLETE)',
  })
  @ApiOkResponse({ type: BatchViewDto, description: 'The batch view, status DISCARDED' })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, reason missing, unknown fields'],
    [ErrorCode.NOT_FOUND, 'No such batch'],
    [ErrorCode.INVALID_TRANSITION, 'The batch is released, rejected or discarded already'],
  )
  discard(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: DiscardBatchDto,
  ): Promise<BatchViewDto> {
    return this.decisions.discard(user, batchId, dto);
  }
}
