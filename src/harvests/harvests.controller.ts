import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
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
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CreateHarvestDto } from './dto/create-harvest.dto';
import { HarvestViewDto } from './dto/harvest-view.dto';
import { RecordReceiptDto } from './dto/record-receipt.dto';
import { HarvestsService } from './harvests.service';

const BAD_INPUT = {
  description: 'Invalid body or id (VALIDATION_FAILED, details.fields names them)',
  type: ErrorResponseDto,
};

@ApiTags('harvests')
@Controller('harvests')
export class HarvestsController {
  constructor(private readonly harvests: HarvestsService) {}

  @Post()
  @Roles('doctor')
  @ApiOperation({
    summary: "Record a tissue collection for a donor of the doctor's clinic",
    description: 'Needs treatment consent in force.',
  })
  @ApiCreatedResponse({ type: HarvestViewDto })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({
    description: "No such donor, or another clinic's (NOT_FOUND)",
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description: "The donor's consent in force does not cover treatment, or there is none (CONSENT_MISSING)",
    type: ErrorResponseDto,
  })
  collect(@CurrentUser() user: AuthUser, @Body() dto: CreateHarvestDto): Promise<HarvestViewDto> {
    return this.harvests.collect(user, dto);
  }

  @Post(':id/receipt')
  @HttpCode(HttpStatus.OK)
  @Roles('technician')
  @ApiOperation({
    summary: 'Receive the tissue at the CPC',
    description:
      'Not intact, or received over 48 h after collection: REJECTED. Temperature outside 2-8 C: accepted with a ' +
      'recorded deviation. Two receipts of one harvest: one wins, the other is 409.',
  })
  @ApiOkResponse({ type: HarvestViewDto })
  @ApiBadRequestResponse({
    description: 'Invalid body or id, or receivedAt before collectedAt (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'No such harvest (NOT_FOUND)', type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'The harvest is not COLLECTED (INVALID_TRANSITION)',
    type: ErrorResponseDto,
  })
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
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse({
    description: "No such harvest, or another clinic's for a doctor (NOT_FOUND)",
    type: ErrorResponseDto,
  })
  view(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<HarvestViewDto> {
    return this.harvests.view(user, id);
  }
}
