import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BAD_INPUT, errorResponse, notFoundResponse } from './bank-openapi';
import { ListVialsQuery } from './dto/list-vials.query';
import { DiscardVialDto, MoveVialDto, ThawVialDto } from './dto/vial-commands.dto';
import { VialPageDto, VialViewDto } from './dto/vial-view.dto';
import { VialsService } from './vials.service';

const VIAL_NOT_FOUND = notFoundResponse("No such vial, or another clinic's");

@ApiTags('cell bank')
@Controller('vials')
export class VialsController {
  constructor(private readonly vials: VialsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Vials, newest first, each with its position and history (doctor: own clinic)' })
  @ApiOkResponse({ type: VialPageDto })
  @ApiBadRequestResponse(errorResponse('Bad filter, limit or cursor (VALIDATION_FAILED)'))
  list(@CurrentUser() user: AuthUser, @Query() query: ListVialsQuery): Promise<Page<VialViewDto>> {
    return this.vials.list(user, query);
  }

  @Get('by-label/:label')
  @AnyRole()
  @ApiOperation({ summary: 'The vial with this label, e.g. X999926000042-V001 (doctor: own clinic)' })
  @ApiOkResponse({ type: VialViewDto })
  @ApiNotFoundResponse(VIAL_NOT_FOUND)
  byLabel(@CurrentUser() user: AuthUser, @Param('label') label: string): Promise<VialViewDto> {
    return this.vials.getByLabel(user, label);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'A vial with its position and full history (doctor: own clinic)' })
  @ApiOkResponse({ type: VialViewDto })
  @ApiBadRequestResponse(errorResponse('id not a UUID (VALIDATION_FAILED)'))
  @ApiNotFoundResponse(VIAL_NOT_FOUND)
  get(@CurrentUser() user: AuthUser, @UuidParam() vialId: string): Promise<VialViewDto> {
    return this.vials.get(user, vialId);
  }

  @Post(':id/move')
  @HttpCode(200)
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Move a vial in the tanks to another position',
    description:
      'Checks in order: 404 vial, 409 not in the tank, 400 position outside the box, 404 not a box, 409 position taken, 422 unsuitable storage.',
  })
  @ApiOkResponse({ type: VialViewDto })
  @ApiBadRequestResponse({
    description: `${BAD_INPUT.description}; a position outside the box's rows and cols`,
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(notFoundResponse('No such vial, or boxId is not a box'))
  @ApiConflictResponse(
    errorResponse(
      'The vial is THAWED or DISCARDED (INVALID_TRANSITION); the position holds a vial (POSITION_OCCUPIED)',
    ),
  )
  @ApiUnprocessableEntityResponse(
    errorResponse(
      'The box is in a -80 C FREEZER, or its tank is of the other biohazard class (STORAGE_UNSUITABLE); the scan names another item (IDENTITY_MISMATCH, recorded); no scan while SCAN_REQUIRED=true (SCAN_REQUIRED)',
    ),
  )
  move(
    @CurrentUser() user: AuthUser,
    @UuidParam() vialId: string,
    @Body() dto: MoveVialDto,
  ): Promise<VialViewDto> {
    return this.vials.move(user, vialId, dto);
  }

  @Post(':id/thaw')
  @HttpCode(200)
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Thaw a vial reserved for a booster, witnessed by a second person',
    description:
      'Only a RESERVED vial is thawed (reserve it through POST /boosters first): STORED -> RESERVED -> THAWED. The witness, ' +
      'a technician or qa user other than the thawer, signs with their own password; a wrong one counts toward their lock-out. ' +
      'The position is freed.',
  })
  @ApiOkResponse({ type: VialViewDto, description: 'status THAWED' })
  @ApiBadRequestResponse({
    description: `${BAD_INPUT.description}; thawedAt before freezing`,
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(VIAL_NOT_FOUND)
  @ApiConflictResponse(errorResponse('The vial is not RESERVED (INVALID_TRANSITION)'))
  @ApiUnprocessableEntityResponse(
    errorResponse(
      'The thawer named themself (SAME_PERSON); the witness is unknown, deactivated, not technician or qa, or gave a wrong password (WITNESS_REQUIRED); the scan names another item (IDENTITY_MISMATCH, recorded); no scan while SCAN_REQUIRED=true (SCAN_REQUIRED)',
    ),
  )
  @ApiTooManyRequestsResponse(
    errorResponse("The witness's account is locked after failed attempts (RATE_LIMITED)"),
  )
  thaw(
    @CurrentUser() user: AuthUser,
    @UuidParam() vialId: string,
    @Body() dto: ThawVialDto,
  ): Promise<VialViewDto> {
    return this.vials.thaw(user, vialId, dto);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Discard a vial (STORED or RESERVED -> DISCARDED); its position is freed' })
  @ApiOkResponse({ type: VialViewDto, description: 'status DISCARDED' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(VIAL_NOT_FOUND)
  @ApiConflictResponse(errorResponse('The vial is THAWED or DISCARDED already (INVALID_TRANSITION)'))
  discard(
    @CurrentUser() user: AuthUser,
    @UuidParam() vialId: string,
    @Body() dto: DiscardVialDto,
  ): Promise<VialViewDto> {
    return this.vials.discard(user, vialId, dto);
  }
}
