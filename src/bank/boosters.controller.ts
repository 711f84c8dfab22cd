import { Body, Controller, Get, Post } from '@nestjs/common';
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
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { DoseViewDto } from '../doses/dto/dose-view.dto';
import { BAD_INPUT, errorResponse, notFoundResponse } from './bank-openapi';
import { BoostersService } from './boosters.service';
import { BoosterViewDto, FormulateBoosterDoseDto, RequestBoosterDto } from './dto/booster.dto';

@ApiTags('cell bank')
@Controller('boosters')
export class BoostersController {
  constructor(private readonly boosters: BoostersService) {}

  @Post()
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Request a booster from a donor's banked vials (doctor: own clinic)",
    description: 'The vials become RESERVED. Checks in order: 404 donor, 404 vials, 422 VIAL_NOT_AVAILABLE.',
  })
  @ApiCreatedResponse({ type: BoosterViewDto, description: 'status REQUESTED' })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(notFoundResponse("No such donor or vial, or another clinic's"))
  @ApiUnprocessableEntityResponse(
    errorResponse(
      'A vial not STORED, of another donor, or of several batches; the batch not RELEASED, recalled, or failed a QC test after release (VIAL_NOT_AVAILABLE)',
    ),
  )
  request(@CurrentUser() user: AuthUser, @Body() dto: RequestBoosterDto): Promise<BoosterViewDto> {
    return this.boosters.request(user, dto);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({ summary: 'A booster with its vials and dose (doctor: own clinic)' })
  @ApiOkResponse({ type: BoosterViewDto })
  @ApiBadRequestResponse(errorResponse('id not a UUID (VALIDATION_FAILED)'))
  @ApiNotFoundResponse(notFoundResponse("No such booster, or another clinic's"))
  get(@CurrentUser() user: AuthUser, @UuidParam() boosterId: string): Promise<BoosterViewDto> {
    return this.boosters.get(user, boosterId);
  }

  @Post(':id/doses')
  @Roles('technician')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Formulate the booster dose from the booster's thawed vials",
    description:
      'Labelled <DIN>-B01...; its cells are the sum of floor(vial cells * postThawViabilityPct / 100); it expires formulatedAt + 6 h ' +
      '(BOOSTER_DOSE_SHELF_LIFE_HOURS) and is then dispatched, received and administered through the /doses routes like any dose.',
  })
  @ApiCreatedResponse({ type: DoseViewDto })
  @ApiBadRequestResponse({
    description: `${BAD_INPUT.description}; formulatedAt before the last thaw`,
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(notFoundResponse('No such booster'))
  @ApiConflictResponse(
    errorResponse(
      'A vial of the booster is not THAWED, or the booster has its dose already (INVALID_TRANSITION)',
    ),
  )
  @ApiUnprocessableEntityResponse(
    errorResponse(
      "A vial's post-thaw viability is below the batch specification's viability limit (QC_NOT_PASSED); the batch was recalled or failed QC after release (VIAL_NOT_AVAILABLE)",
    ),
  )
  formulateDose(
    @CurrentUser() user: AuthUser,
    @UuidParam() boosterId: string,
    @Body() dto: FormulateBoosterDoseDto,
  ): Promise<DoseViewDto> {
    return this.boosters.formulateDose(user, boosterId, dto);
  }
}
