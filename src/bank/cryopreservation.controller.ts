import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CryopreservationService } from './cryopreservation.service';
import { CryopreservationResultDto, CryopreserveDto } from './dto/cryopreserve.dto';

@ApiTags('cell bank')
@Controller('batches')
export class CryopreservationController {
  constructor(private readonly cryopreservation: CryopreservationService) {}

  @Post(':id/cryopreserve')
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Freeze a batch's surplus cells into vials",
    description:
      'All or nothing: every vial is stored, labelled <DIN>-V001..., or none is. Viable cells come out of the final harvest. ' +
      "Each vial's nextReviewAt is the earlier of frozenAt + 12 months (configurable, calendar months in FACILITY_TZ) and the " +
      "banking consent's expiry; the storage review for that date is created in the same transaction. Checks in order: " +
      '400 two vials in one position, 404 batch, 409 batch state, 400 frozenAt before the final harvest, ' +
      '400 a position outside its box, 404 box, 409 position taken, 422 CONSENT_MISSING, 422 STORAGE_UNSUITABLE, ' +
      "422 INSUFFICIENT_CELLS, material lots (404, 422 LOT_EXPIRED), then each tube's scan (422).",
  })
  @ApiCreatedResponse({ type: CryopreservationResultDto })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'Invalid body; 0 or more than 200 vials; two vials in one position; frozenAt before the final harvest; a position outside its box',
    ],
    [ErrorCode.NOT_FOUND, 'No such batch; a boxId that is not a box; an unknown material lot'],
    [ErrorCode.INVALID_TRANSITION, 'The batch is not CULTURE_COMPLETE or RELEASED'],
    [ErrorCode.POSITION_OCCUPIED, 'A position holds a vial'],
    [ErrorCode.CONSENT_MISSING, 'No banking consent in force'],
    [ErrorCode.STORAGE_UNSUITABLE, 'A box not in a liquid-nitrogen TANK or of the other biohazard class'],
    [ErrorCode.INSUFFICIENT_CELLS, 'More cells than are left'],
    [ErrorCode.LOT_EXPIRED, 'An expired material lot'],
    [
      ErrorCode.IDENTITY_MISMATCH,
      'A vial scan naming neither the batch nor the label that vial gets, recorded',
    ],
    [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'],
  )
  cryopreserve(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: CryopreserveDto,
  ): Promise<CryopreservationResultDto> {
    return this.cryopreservation.cryopreserve(user, batchId, dto);
  }
}
