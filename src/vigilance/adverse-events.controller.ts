import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { AdverseEventsService } from './adverse-events.service';
import {
  AdverseEventPageDto,
  AdverseEventViewDto,
  CloseAdverseEventDto,
  CloseResultDto,
  ListAdverseEventsQuery,
  RecordAdverseEventDto,
  ReportAdverseEventDto,
  ReportResultDto,
} from './dto/adverse-event.dto';

/** The adverse event itself with its look-back is `GET /adverse-events/:id`, in src/read-model. */
@ApiTags('vigilance')
@Controller('adverse-events')
export class AdverseEventsController {
  constructor(private readonly events: AdverseEventsService) {}

  @Post()
  @Roles('doctor', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record an adverse event after an injection',
    description:
      'reportDueAt is knownAt (default now) + 7 days for DEATH and LIFE_THREATENING, + 15 days for the other ' +
      'serious classes, null for NON_SERIOUS; a serious event raises ADVERSE_EVENT_REPORT_DUE. With ' +
      "suspectedInfection, the banked vials of the dose's batch are put on hold.",
  })
  @ApiCreatedResponse({ type: AdverseEventViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad fields, or knownAt before onsetAt'],
    [ErrorCode.VALIDATION_FAILED, "A dose not the donor's or not administered", 422],
    [ErrorCode.NOT_FOUND, "No such donor or dose, or another clinic's for a doctor"],
  )
  record(@CurrentUser() user: AuthUser, @Body() dto: RecordAdverseEventDto): Promise<AdverseEventViewDto> {
    return this.events.record(user, dto);
  }

  @Get()
  @Roles('qa', 'admin', 'doctor')
  @ApiOperation({ summary: "Adverse events, newest recorded first (a doctor: their clinic's only)" })
  @ApiOkResponse({ type: AdverseEventPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListAdverseEventsQuery,
  ): Promise<Page<AdverseEventViewDto>> {
    return this.events.list(user, query);
  }

  @Post(':id/report')
  @HttpCode(HttpStatus.OK)
  @Roles('qa', 'doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'The signed report to the committee and the ministry',
    description: 'Signed with the password (21 CFR 11.200), once; late when reportedAt is after reportDueAt.',
  })
  @ApiOkResponse({ type: ReportResultDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad fields, or reportedAt before knownAt'],
    [ErrorCode.NOT_FOUND, "No such adverse event, or another clinic's for a doctor"],
    [ErrorCode.ALREADY_DECIDED, 'The event is reported already'],
    [ErrorCode.INVALID_TRANSITION, 'The event was closed without a report'],
    [ErrorCode.SIGNATURE_INVALID, 'The password does not match the signer'],
    ErrorCode.RATE_LIMITED,
  )
  report(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: ReportAdverseEventDto,
  ): Promise<ReportResultDto> {
    return this.events.report(user, id, dto);
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "QA's signed conclusion",
    description:
      'Once; a serious event only after its report. UNLIKELY and UNRELATED release the infection hold on the ' +
      "batch's vials.",
  })
  @ApiOkResponse({ type: CloseResultDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such adverse event'],
    [ErrorCode.ALREADY_DECIDED, 'The event is closed already'],
    [ErrorCode.INVALID_TRANSITION, 'A serious event must be reported first'],
    [ErrorCode.SIGNATURE_INVALID, 'The password does not match the signer'],
    ErrorCode.RATE_LIMITED,
  )
  close(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: CloseAdverseEventDto,
  ): Promise<CloseResultDto> {
    return this.events.close(user, id, dto);
  }
}
