import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { DonorInventoryDto, InventoryPageDto, InventoryQuery } from './dto/inventory.dto';
import { ReconcileBoxDto, ReconciliationResultDto } from './dto/reconciliation.dto';
import { InventoryService } from './inventory.service';
import { ReconciliationsService } from './reconciliations.service';

/** The bank as a whole: physical reconciliation of boxes and the inventory by donor. */
@ApiTags('cell bank')
@Controller('bank')
export class BankRecordsController {
  constructor(
    private readonly reconciliations: ReconciliationsService,
    private readonly inventory: InventoryService,
  ) {}

  @Post('reconciliations')
  @HttpCode(200)
  @Roles('admin', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Reconcile a box: the labels scanned in it against the record',
    description: 'Saved (and audited on the box) as the record of the physical check; no vial is changed.',
  })
  @ApiOkResponse({ type: ReconciliationResultDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'BoxId is not a box'])
  reconcile(@CurrentUser() user: AuthUser, @Body() dto: ReconcileBoxDto): Promise<ReconciliationResultDto> {
    return this.reconciliations.reconcile(user, dto);
  }

  @Get('inventory')
  @Roles('admin', 'qa', 'doctor')
  @ApiOperation({
    summary:
      'Donors with their vials in the tanks, cells banked, positions and next review dates (doctor: own clinic)',
  })
  @ApiOkResponse({ type: InventoryPageDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad clinicId, donorId, limit or cursor'],
    [ErrorCode.NOT_FOUND, "donorId names no donor, or another clinic's"],
  )
  inventoryOf(
    @CurrentUser() user: AuthUser,
    @Query() query: InventoryQuery,
  ): Promise<Page<DonorInventoryDto>> {
    return this.inventory.inventoryOf(user, query);
  }
}
