import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { ListVialsQuery } from './dto/list-vials.query';
import { DiscardVialDto, MoveVialDto, ThawVialDto } from './dto/vial-commands.dto';
import { VialPageDto, VialViewDto } from './dto/vial-view.dto';
import { VialsService } from './vials.service';

const VIAL_NOT_FOUND: [ErrorCode, string] = [ErrorCode.NOT_FOUND, "No such vial, or another clinic's"];
const WRONG_ITEM: [ErrorCode, string] = [
  ErrorCode.IDENTITY_MISMATCH,
  'The scan names another item (recorded)',
];
const NO_SCAN: [ErrorCode, string] = [ErrorCode.SCAN_REQUIRED, 'No scan while SCAN_REQUIRED=true'];

@ApiTags('cell bank')
@Controller('vials')
export class VialsController {
  constructor(private readonly vials: VialsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Vials, newest first, each with its position and history (doctor: own clinic)' })
  @ApiOkResponse({ type: VialPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad filter, limit or cursor'])
  list(@CurrentUser() user: AuthUser, @Query() query: ListVialsQuery): Promise<Page<VialViewDto>> {
    return this.vials.list(user, query);
  }

  @Get('by-label/:label')
  @AnyRole()
  @ApiOperation({ summary: 'The vial with this label, e.g. X999926000042-V001 (doctor: own clinic)' })
  @ApiOkResponse({ type: VialViewDto })
  @ApiErrors(VIAL_NOT_FOUND)
  byLabel(@CurrentUser() user: AuthUser, @Param('label') label: string): Promise<VialViewDto> {
    return this.vials.getByLabel(user, label);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'A vial with its position and full history (doctor: own clinic)' })
  @ApiOkResponse({ type: VialViewDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'id not a UUID'], VIAL_NOT_FOUND)
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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, "Invalid body, or a position outside the box's rows and cols"],
    [ErrorCode.NOT_FOUND, 'No such vial, or boxId is not a box'],
    [ErrorCode.INVALID_TRANSITION, 'The vial is THAWED or DISCARDED'],
    [ErrorCode.POSITION_OCCUPIED, 'The position holds a vial'],
    [
      ErrorCode.STORAGE_UNSUITABLE,
      'The box is in a -80 C FREEZER, or its tank is of the other biohazard class',
    ],
    WRONG_ITEM,
    NO_SCAN,
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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body, or thawedAt before freezing'],
    VIAL_NOT_FOUND,
    [ErrorCode.INVALID_TRANSITION, 'The vial is not RESERVED'],
    [ErrorCode.SAME_PERSON, 'The thawer named themself'],
    [
      ErrorCode.WITNESS_REQUIRED,
      'The witness is unknown, deactivated, not technician or qa, or gave a wrong password',
    ],
    WRONG_ITEM,
    NO_SCAN,
    [ErrorCode.RATE_LIMITED, "The witness's account is locked after failed attempts"],
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
  @ApiErrors(ErrorCode.VALIDATION_FAILED, VIAL_NOT_FOUND, [
    ErrorCode.INVALID_TRANSITION,
    'The vial is THAWED or DISCARDED already',
  ])
  discard(
    @CurrentUser() user: AuthUser,
    @UuidParam() vialId: string,
    @Body() dto: DiscardVialDto,
  ): Promise<VialViewDto> {
    return this.vials.discard(user, vialId, dto);
  }
}
