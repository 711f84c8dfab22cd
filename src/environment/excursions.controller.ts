import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import {
  DisposeExcursionDto,
  ExcursionPageDto,
  ExcursionSummaryDto,
  ExcursionViewDto,
  ListExcursionsQuery,
} from './dto/excursion.dto';
import { ExcursionsService } from './excursions.service';

@ApiTags('cold chain')
@Controller('excursions')
export class ExcursionsController {
  constructor(private readonly excursions: ExcursionsService) {}

  @Get()
  @Roles('qa')
  @ApiOperation({
    summary: 'Excursions, newest found first',
    description: 'status: OPEN, ENDED (awaiting QA) or DISPOSED',
  })
  @ApiOkResponse({ type: ExcursionPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(@Query() query: ListExcursionsQuery): Promise<Page<ExcursionSummaryDto>> {
    return this.excursions.list(query);
  }

  @Get(':id')
  @Roles('qa')
  @ApiOperation({ summary: 'An excursion with the vials it affected and its disposition' })
  @ApiOkResponse({ type: ExcursionViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such excursion'])
  get(@UuidParam() id: string): Promise<ExcursionViewDto> {
    return this.excursions.get(id);
  }

  @Post(':id/disposition')
  @HttpCode(HttpStatus.OK)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "QA's signed disposition of an excursion",
    description:
      'Signed with the password (21 CFR 11.200). NO_IMPACT releases the holds on its vials; VIALS_COMPROMISED ' +
      'discards those still banked (stored or reserved), with the comment as the reason. Only once the unit is back ' +
      'in range (not OPEN), and once.',
  })
  @ApiOkResponse({ type: ExcursionViewDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such excursion'],
    [ErrorCode.INVALID_TRANSITION, 'The unit is still out of range (OPEN)'],
    [ErrorCode.ALREADY_DECIDED, 'The excursion has its disposition already'],
    [ErrorCode.SIGNATURE_INVALID, 'The password does not match the signer'],
    ErrorCode.RATE_LIMITED,
  )
  dispose(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: DisposeExcursionDto,
  ): Promise<ExcursionViewDto> {
    return this.excursions.dispose(user, id, dto);
  }
}
