import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BAD_INPUT, errorResponse, notFoundResponse } from './bank-openapi';
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
  @ApiBadRequestResponse({
    description: `${BAD_INPUT.description}; 0 or more than 200 vials; two vials in one position; frozenAt before the final harvest; a position outside its box`,
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(notFoundResponse('No such batch; a boxId that is not a box; an unknown material lot'))
  @ApiConflictResponse(
    errorResponse(
      'The batch is not CULTURE_COMPLETE or RELEASED (INVALID_TRANSITION); a position holds a vial (POSITION_OCCUPIED)',
    ),
  )
  @ApiUnprocessableEntityResponse(
    errorResponse(
      'No banking consent in force (CONSENT_MISSING); a box not in a liquid-nitrogen TANK or of the other biohazard class (STORAGE_UNSUITABLE); more cells than are left (INSUFFICIENT_CELLS); an expired material lot (LOT_EXPIRED); a vial scan naming neither the batch nor the label that vial gets (IDENTITY_MISMATCH, recorded); no scan while SCAN_REQUIRED=true (SCAN_REQUIRED)',
    ),
  )
  cryopreserve(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: CryopreserveDto,
  ): Promise<CryopreservationResultDto> {
    return this.cryopreservation.cryopreserve(user, batchId, dto);
  }
}
