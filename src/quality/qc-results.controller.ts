import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { RecordedQcResultDto } from './dto/qc-result-view.dto';
import { QC_RESULT_BODY_MODELS, QC_RESULT_BODY_SCHEMA } from './dto/qc-result-bodies.dto';
import { RecordQcResultDto } from './dto/record-qc-result.dto';
import { QcResultsService } from './qc-results.service';

@ApiTags('quality')
@Controller('batches/:id/qc-results')
export class QcResultsController {
  constructor(private readonly qcResults: QcResultsService) {}

  @Post()
  @Roles('technician', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record a QC result, judged against the batch specification',
    description:
      'Categorical tests (STERILITY, MYCOPLASMA) take `result`; numeric tests take `value` (with `qualifier: "<"` below the ' +
      'detection limit). The limit applied is stored with the result. A FAIL keeps counting after a later PASS until a ' +
      '`qa` user corrects it (`correctsId` + `reason`). Allowed from IN_CULTURE to RELEASED; after release a FAIL raises a ' +
      'flag and a POSITIVE sterility or mycoplasma recalls every dose not yet administered, in the same transaction.',
  })
  @ApiExtraModels(...QC_RESULT_BODY_MODELS)
  @ApiBody({ schema: QC_RESULT_BODY_SCHEMA })
  @ApiCreatedResponse({ type: RecordedQcResultDto })
  @ApiErrors([
    ErrorCode.VALIDATION_FAILED,
    "id not a UUID; unknown fields; a measurement that does not fit the test (value for a categorical test, result for a numeric one, PENDING mycoplasma, a unit other than the spec's); correctsId without reason; a correction of another test",
  ])
  @ApiForbiddenResponse({
    description: 'Not technician or qa, or a technician correcting a failing result (FORBIDDEN)',
    type: ErrorResponseDto,
  })
  @ApiErrors(
    [ErrorCode.NOT_FOUND, 'No such batch, or correctsId names no QC result of this batch'],
    [
      ErrorCode.INVALID_TRANSITION,
      'Batch not IN_CULTURE, CULTURE_COMPLETE or RELEASED; or the corrected result was corrected already',
    ],
  )
  record(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: RecordQcResultDto,
  ): Promise<RecordedQcResultDto> {
    return this.qcResults.record(user, batchId, dto);
  }
}
