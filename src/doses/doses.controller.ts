import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { Page, PageQuery } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { DosesService } from './doses.service';
import { AdministerDoseDto } from './dto/administer-dose.dto';
import { DestroyDoseDto } from './dto/destroy-dose.dto';
import { DispatchDoseDto } from './dto/dispatch-dose.dto';
import { DosePageDto, DoseViewDto } from './dto/dose-view.dto';
import { FormulateDoseDto } from './dto/formulate-dose.dto';
import { ReceiveDoseDto } from './dto/receive-dose.dto';

const DOSE_NOT_FOUND = {
  description: "No such dose, or another clinic's (NOT_FOUND)",
  type: ErrorResponseDto,
};
const BAD_INPUT = {
  description: 'id not a UUID, invalid or unknown fields (VALIDATION_FAILED, details.fields)',
  type: ErrorResponseDto,
};

@ApiTags('doses')
@Controller()
export class DosesController {
  constructor(private readonly doses: DosesService) {}

  @Post('batches/:id/doses')
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Formulate a fresh dose from a released batch',
    description:
      'Draws `cells` viable cells from the final harvest; the dose is labelled `<DIN>-Dnn` and expires with the batch ' +
      '(48 h after final harvest). Checks in order: 404, 409, material lots, 422 DOSE_EXPIRED, 422 INSUFFICIENT_CELLS.',
  })
  @ApiCreatedResponse({ type: DoseViewDto })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({ description: 'No such batch or material lot (NOT_FOUND)', type: ErrorResponseDto })
  @ApiConflictResponse({
    description:
      'The batch is not RELEASED, or was recalled after a positive sterility/mycoplasma result (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description:
      'A material lot had expired (LOT_EXPIRED); the batch had expired at formulatedAt (DOSE_EXPIRED); more cells than are left (INSUFFICIENT_CELLS)',
    type: ErrorResponseDto,
  })
  formulate(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Body() dto: FormulateDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.formulate(user, batchId, dto);
  }

  @Get('batches/:id/doses')
  @AnyRole()
  @ApiOperation({ summary: "A batch's doses, newest first (doctor: own clinic)" })
  @ApiOkResponse({ type: DosePageDto })
  @ApiBadRequestResponse({
    description: 'id not a UUID, bad limit or cursor (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({
    description: "No such batch, or another clinic's (NOT_FOUND)",
    type: ErrorResponseDto,
  })
  listOfBatch(
    @CurrentUser() user: AuthUser,
    @UuidParam() batchId: string,
    @Query() query: PageQuery,
  ): Promise<Page<DoseViewDto>> {
    return this.doses.listOfBatch(user, batchId, query);
  }

  @Get('doses/:id')
  @AnyRole()
  @ApiOperation({ summary: 'A dose (doctor: own clinic)' })
  @ApiOkResponse({ type: DoseViewDto })
  @ApiBadRequestResponse({ description: 'id not a UUID (VALIDATION_FAILED)', type: ErrorResponseDto })
  @ApiNotFoundResponse(DOSE_NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @UuidParam() doseId: string): Promise<DoseViewDto> {
    return this.doses.get(user, doseId);
  }

  @Post('doses/:id/dispatch')
  @HttpCode(200)
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Dispatch a formulated dose to the clinic' })
  @ApiOkResponse({ type: DoseViewDto, description: 'status DISPATCHED' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(DOSE_NOT_FOUND)
  @ApiConflictResponse({
    description: 'The dose is not FORMULATED (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
  dispatch(
    @CurrentUser() user: AuthUser,
    @UuidParam() doseId: string,
    @Body() dto: DispatchDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.dispatch(user, doseId, dto);
  }

  @Post('doses/:id/receipt')
  @HttpCode(200)
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Receive a dispatched dose at the clinic',
    description:
      'Not intact: REJECTED (never administered). A temperature outside 2..8 C is accepted and recorded as a deviation on the dose.',
  })
  @ApiOkResponse({ type: DoseViewDto, description: 'status RECEIVED or REJECTED, with `deviations`' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(DOSE_NOT_FOUND)
  @ApiConflictResponse({
    description: 'The dose is not DISPATCHED (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
  receive(
    @CurrentUser() user: AuthUser,
    @UuidParam() doseId: string,
    @Body() dto: ReceiveDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.receive(user, doseId, dto);
  }

  @Post('doses/:id/destruction')
  @HttpCode(200)
  @Roles('technician', 'doctor')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Destroy a dose that was not administered (expired, recalled, rejected, unused)' })
  @ApiOkResponse({ type: DoseViewDto, description: 'status DESTROYED' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(DOSE_NOT_FOUND)
  @ApiConflictResponse({
    description: 'The dose was administered or destroyed already (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
  destroy(
    @CurrentUser() user: AuthUser,
    @UuidParam() doseId: string,
    @Body() dto: DestroyDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.destroy(user, doseId, dto);
  }

  @Post('doses/:id/administration')
  @HttpCode(200)
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Administer a dose at the bedside',
    description:
      "Chain of identity: `patientCode` (the wristband's donor code) and `doseLabel` (scanned from the syringe) must both " +
      'match this dose. Checks in order: 404, 409, 422 IDENTITY_MISMATCH (details.fields names the mismatched scans), 422 DOSE_EXPIRED.',
  })
  @ApiOkResponse({ type: DoseViewDto, description: 'status ADMINISTERED' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(DOSE_NOT_FOUND)
  @ApiConflictResponse({
    description:
      'Only a FORMULATED, DISPATCHED or RECEIVED dose is administered; recalled, rejected, destroyed or administered ones are not (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'Wrong patient or wrong dose (IDENTITY_MISMATCH); at or after expiresAt (DOSE_EXPIRED)',
    type: ErrorResponseDto,
  })
  administer(
    @CurrentUser() user: AuthUser,
    @UuidParam() doseId: string,
    @Body() dto: AdministerDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.administer(user, doseId, dto);
  }
}
