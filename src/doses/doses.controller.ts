import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors, RouteError } from '../common/http/api-errors.decorator';
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

const DOSE_NOT_FOUND: RouteError = [ErrorCode.NOT_FOUND, "No such dose, or another clinic's"];

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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body or id, or formulatedAt before the final harvest'],
    [ErrorCode.NOT_FOUND, "No such batch (or another clinic's), or an unknown material lot"],
    [
      ErrorCode.INVALID_TRANSITION,
      'The batch is not RELEASED, or was recalled after a positive sterility/mycoplasma result',
    ],
    [ErrorCode.LOT_EXPIRED, 'A material lot had expired at formulatedAt'],
    [ErrorCode.DOSE_EXPIRED, 'The batch had expired at formulatedAt'],
    [ErrorCode.INSUFFICIENT_CELLS, 'More cells than are left'],
  )
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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, bad limit or cursor'],
    [ErrorCode.NOT_FOUND, "No such batch, or another clinic's"],
  )
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
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'id not a UUID'], DOSE_NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @UuidParam() doseId: string): Promise<DoseViewDto> {
    return this.doses.get(user, doseId);
  }

  @Post('doses/:id/dispatch')
  @HttpCode(200)
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Dispatch a formulated dose to the clinic' })
  @ApiOkResponse({ type: DoseViewDto, description: 'status DISPATCHED' })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body or id, or dispatchedAt before the formulation'],
    DOSE_NOT_FOUND,
    [ErrorCode.INVALID_TRANSITION, 'The dose is not FORMULATED'],
    [ErrorCode.IDENTITY_MISMATCH, 'The scan names another item (recorded; nothing else changes)'],
    [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'],
  )
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
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    DOSE_NOT_FOUND,
    [ErrorCode.INVALID_TRANSITION, 'The dose is not DISPATCHED'],
    [ErrorCode.IDENTITY_MISMATCH, 'The scan names another item (recorded; nothing else changes)'],
    [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'],
  )
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
  @ApiErrors(ErrorCode.VALIDATION_FAILED, DOSE_NOT_FOUND, [
    ErrorCode.INVALID_TRANSITION,
    'The dose was administered or destroyed already',
  ])
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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, "Invalid body or id, or administeredAt before the dose's earlier steps"],
    DOSE_NOT_FOUND,
    [
      ErrorCode.INVALID_TRANSITION,
      'Only a FORMULATED, DISPATCHED or RECEIVED dose is administered; recalled, rejected, destroyed or administered ones are not',
    ],
    [ErrorCode.IDENTITY_MISMATCH, 'Wrong patient or wrong dose, or a `scan` naming another item (recorded)'],
    [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'],
    [ErrorCode.DOSE_EXPIRED, 'At or after expiresAt'],
  )
  administer(
    @CurrentUser() user: AuthUser,
    @UuidParam() doseId: string,
    @Body() dto: AdministerDoseDto,
  ): Promise<DoseViewDto> {
    return this.doses.administer(user, doseId, dto);
  }
}
