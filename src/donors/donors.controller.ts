import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { DonorsService } from './donors.service';
import { ConsentDto } from './dto/consent.dto';
import { CreateDonorDto } from './dto/create-donor.dto';
import { ConsentRecordedDto, DonorPageDto, DonorViewDto, ScreeningRecordedDto } from './dto/donor-view.dto';
import { ListDonorsQuery } from './dto/list-donors.query';
import { RecordScreeningDto } from './dto/record-screening.dto';

const NOT_VISIBLE: [ErrorCode, string] = [
  ErrorCode.NOT_FOUND,
  "No such donor, or another clinic's donor for a doctor",
];

@ApiTags('donors')
@Controller('donors')
export class DonorsController {
  constructor(private readonly donors: DonorsService) {}

  @Post()
  @Roles('doctor', 'admin')
  @ApiOperation({
    summary: 'Register a donor (patient) with their consent',
    description:
      "A doctor registers a donor of their own clinic (clinicId may be omitted or be their own; another clinic's id " +
      'is 404). An admin must name the clinic. The code is generated and carries no personal data.',
  })
  @ApiCreatedResponse({ type: DonorViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [
    ErrorCode.NOT_FOUND,
    'Unknown clinic, or another clinic for a doctor',
  ])
  register(@CurrentUser() user: AuthUser, @Body() dto: CreateDonorDto): Promise<DonorViewDto> {
    return this.donors.register(user, dto);
  }

  @Get()
  @AnyRole()
  @ApiOperation({
    summary: 'List donors, newest first',
    description:
      "A doctor sees only their clinic's donors. Each donor comes with its derived screeningStatus and screenings.",
  })
  @ApiOkResponse({ type: DonorPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(@CurrentUser() user: AuthUser, @Query() query: ListDonorsQuery): Promise<Page<DonorViewDto>> {
    return this.donors.list(user, query);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({
    summary: 'A donor with screeningStatus, every screening entry, the consent in force and all consents',
  })
  @ApiOkResponse({ type: DonorViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, NOT_VISIBLE)
  view(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<DonorViewDto> {
    return this.donors.view(user, id);
  }

  @Post(':id/screenings')
  @HttpCode(HttpStatus.CREATED)
  @ApiForbiddenResponse({
    description:
      'Role not allowed; a doctor or technician correcting a REACTIVE result; qa recording a result that is not a correction (FORBIDDEN)',
    type: ErrorResponseDto,
  })
  // Doctors and technicians record results, and only a qa correction lifts a REACTIVE one (docs/domain.md,
  // rule 10): qa is admitted for corrections only (DonorsService.recordScreening refuses anything else with 403).
  @Roles('doctor', 'technician', 'qa')
  @ApiOperation({
    summary: 'Record an infectious-disease screening result, or correct one',
    description:
      'Doctors (own clinic) and technicians record results. A correction names the entry (correctsId) with a reason ' +
      'and repeats its marker; the corrected entry stays, marked supersededBy. A REACTIVE result is not lifted by a ' +
      'later NEGATIVE: only a correction recorded by qa lifts it (out-of-specification investigation), so qa may call ' +
      'this route, for corrections only. When the donor becomes REACTIVE, their batches are marked biohazard in the ' +
      'same transaction.',
  })
  @ApiCreatedResponse({ type: ScreeningRecordedDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body or id, or a correction of another marker'],
    [ErrorCode.NOT_FOUND, "No such donor (or another clinic's), or correctsId names no entry of this donor"],
    [ErrorCode.INVALID_TRANSITION, 'The named entry was corrected already'],
  )
  recordScreening(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordScreeningDto,
  ): Promise<ScreeningRecordedDto> {
    return this.donors.recordScreening(user, id, dto);
  }

  @Post(':id/consents')
  @HttpCode(HttpStatus.CREATED)
  @Roles('doctor')
  @ApiOperation({
    summary: 'Record a new consent; it replaces the one in force (both are kept)',
    description:
      "Withdrawing banking consent (or changing its expiry) is announced to the cell bank in the same transaction, so the donor's banked vials become due for review at once.",
  })
  @ApiCreatedResponse({ type: ConsentRecordedDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, NOT_VISIBLE)
  recordConsent(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: ConsentDto,
  ): Promise<ConsentRecordedDto> {
    return this.donors.recordConsent(user, id, dto);
  }
}
