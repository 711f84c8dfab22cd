import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { AcknowledgeFlagDto } from './dto/acknowledge-flag.dto';
import { FlagPageDto, FlagViewDto } from './dto/flag-view.dto';
import { ListFlagsQuery } from './dto/list-flags.query';
import { FlagsService } from './flags.service';

@ApiTags('flags')
@Controller('flags')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({
    summary: 'Flags raised by the background jobs, newest first',
    description:
      "READY_FOR_RELEASE (QA work queue), READY_FOR_INJECTION (the clinic's cue), POST_RELEASE_QC_FAILURE (recall; " +
      'details list the doses already administered), STORAGE_REVIEW_DUE, DOSE_EXPIRING. At most one open flag per ' +
      "(type, subject). A doctor sees only their clinic's flags.",
  })
  @ApiOkResponse({ type: FlagPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Unknown type or status, batchId not a UUID, bad limit or cursor'])
  list(@CurrentUser() user: AuthUser, @Query() query: ListFlagsQuery): Promise<Page<FlagViewDto>> {
    return this.flags.list(user, query);
  }

  @Post(':id/acknowledge')
  @AnyRole()
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Acknowledge a flag ("seen")',
    description:
      'An OPEN flag becomes ACKNOWLEDGED and stays open until its condition ends. A POST_RELEASE_QC_FAILURE ' +
      'acknowledged by a qa user is RESOLVED and never raised again for that QC result. A second ' +
      'acknowledgement, or one of a resolved flag, changes nothing. The body is optional: a `note` for the audit trail.',
  })
  @ApiOkResponse({ type: FlagViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, a bad note or an unknown body property'],
    [ErrorCode.NOT_FOUND, "No such flag, or another clinic's"],
  )
  acknowledge(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: AcknowledgeFlagDto,
  ): Promise<FlagViewDto> {
    return this.flags.acknowledge(user, id, dto.note ?? null);
  }
}
