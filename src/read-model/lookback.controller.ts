import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { AdverseEventWithLookbackDto } from './dto/lookback.dto';
import { LookbackService } from './lookback.service';

/** One adverse event with its look-back; the other vigilance routes are src/vigilance's. */
@ApiTags('vigilance')
@Controller('adverse-events')
export class LookbackController {
  constructor(private readonly lookbacks: LookbackService) {}

  @Get(':id')
  @Roles('qa', 'admin', 'doctor')
  @ApiOperation({
    summary: 'An adverse event with its look-back',
    description:
      "lookback: the dose's batch, its other doses (administered ones with patient code and clinic), every other " +
      'batch that used any of its material lots with their doses, and the vials of the batch still banked.',
  })
  @ApiOkResponse({ type: AdverseEventWithLookbackDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'],
    [ErrorCode.NOT_FOUND, "No such adverse event, or another clinic's for a doctor"],
  )
  get(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<AdverseEventWithLookbackDto> {
    return this.lookbacks.eventWithLookback(user, id);
  }
}
