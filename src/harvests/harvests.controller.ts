import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CreateHarvestDto } from './dto/create-harvest.dto';
import { HarvestViewDto } from './dto/harvest-view.dto';
import { RecordReceiptDto } from './dto/record-receipt.dto';
import { HarvestsService } from './harvests.service';

@ApiTags('harvests')
@Controller('harvests')
export class HarvestsController {
  constructor(private readonly harvests: HarvestsService) {}

  @Post()
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Record a tissue collection for a donor of the doctor's clinic",
    description: 'Needs treatment consent in force.',
  })
  @ApiCreatedResponse({ type: HarvestViewDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, "No such donor, or another clinic's"],
    [ErrorCode.CONSENT_MISSING, "The donor's consent in force does not cover treatment, or there is none"],
  )
  collect(@CurrentUser() user: AuthUser, @Body() dto: CreateHarvestDto): Promise<HarvestViewDto> {
    return this.harvests.collect(user, dto);
  }

  @Post(':id/receipt')
  @HttpCode(HttpStatus.OK)
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Receive the tissue at the CPC',
    description:
      'Not intact, or received over 48 h after collection: REJECTED. Temperature outside 2-8 C: accepted with a ' +
      'recorded deviation. Two receipts of one harvest: one wins, the other is 409.',
  })
  @ApiOkResponse({ type: HarvestViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body or id, or receivedAt before collectedAt'],
    [ErrorCode.NOT_FOUND, 'No such harvest'],
    [ErrorCode.INVALID_TRANSITION, 'The harvest is not COLLECTED'],
    [ErrorCode.IDENTITY_MISMATCH, 'The scan names another item (recorded; nothing else changes)'],
    [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'],
  )
  receive(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordReceiptDto,
  ): Promise<HarvestViewDto> {
    return this.harvests.receive(user, id, dto);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'A harvest with its receipt, deviations and rejection reason' })
  @ApiOkResponse({ type: HarvestViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, "No such harvest, or another clinic's"])
  view(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<HarvestViewDto> {
    return this.harvests.view(user, id);
  }
}
