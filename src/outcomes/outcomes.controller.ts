import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { DonorOutcomesDto, OutcomeViewDto, RecordOutcomeDto } from './dto/outcome.dto';
import { OutcomesService } from './outcomes.service';

@ApiTags('outcomes')
@Controller()
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @Post('outcomes')
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record a knee pain assessment: a baseline, or a follow-up of the dose given into that knee',
    description:
      'Reductions, the follow-up month and the responder judgement are derived, never sent. A follow-up of a ' +
      'responder whose pain is back near the baseline raises BOOSTER_CANDIDATE when the donor has banked cells.',
  })
  @ApiCreatedResponse({ type: OutcomeViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid fields'],
    [ErrorCode.NOT_FOUND, "No such donor or dose, or another clinic's"],
    [ErrorCode.DUPLICATE, 'This knee already has an assessment at that moment'],
    [
      ErrorCode.VALIDATION_FAILED,
      "The dose is not the donor's, not administered into this knee, or given after assessedAt",
      422,
    ],
  )
  record(@CurrentUser() user: AuthUser, @Body() dto: RecordOutcomeDto): Promise<OutcomeViewDto> {
    return this.outcomes.record(user, dto);
  }

  @Get('donors/:id/outcomes')
  @AnyRole()
  @ApiOperation({
    summary: "A patient's baselines and follow-ups per knee, oldest first, with what they say",
  })
  @ApiOkResponse({ type: DonorOutcomesDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, "No such donor, or another clinic's"])
  ofDonor(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<DonorOutcomesDto> {
    return this.outcomes.ofDonor(user, id);
  }
}
