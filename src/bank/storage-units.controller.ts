import { Body, Controller, Get, Post, Query } from '@nestjs/common';
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
import { Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BAD_INPUT, errorResponse, notFoundResponse } from './bank-openapi';
import { CreateStorageUnitDto, FreePositionsQuery } from './dto/create-storage-unit.dto';
import { FreePositionDto, StorageUnitSummaryDto, StorageUnitViewDto } from './dto/storage-unit-view.dto';
import { StorageUnitsService } from './storage-units.service';

@ApiTags('cell bank')
@Controller('storage-units')
export class StorageUnitsController {
  constructor(private readonly units: StorageUnitsService) {}

  @Post()
  @Roles('admin')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Add a tank, freezer, rack or box to the storage hierarchy',
    description:
      'TANK and FREEZER stand at the root and carry `biohazard`; RACK stands in a TANK or FREEZER, BOX in a RACK, TANK or ' +
      "FREEZER, and both inherit the root's biohazard class. A BOX needs rows and cols (1..20). Units are never changed afterwards.",
  })
  @ApiCreatedResponse({ type: StorageUnitSummaryDto })
  @ApiBadRequestResponse({
    description:
      'Invalid fields; a BOX without rows/cols or parent; rows/cols on another kind; a parent for a TANK/FREEZER; biohazard on a RACK/BOX (VALIDATION_FAILED)',
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(notFoundResponse('No such parent unit'))
  @ApiConflictResponse(errorResponse('A sibling unit has this name already (DUPLICATE)'))
  @ApiUnprocessableEntityResponse(
    errorResponse(
      'The parent cannot hold this kind, e.g. a RACK in a RACK or anything in a BOX (STORAGE_UNSUITABLE)',
    ),
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateStorageUnitDto): Promise<StorageUnitSummaryDto> {
    return this.units.create(user, dto);
  }

  @Get(':id')
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'A storage unit with its children; a box lists its occupied positions' })
  @ApiOkResponse({ type: StorageUnitViewDto })
  @ApiBadRequestResponse(BAD_INPUT)
  @ApiNotFoundResponse(notFoundResponse('No such storage unit'))
  view(@UuidParam() unitId: string): Promise<StorageUnitViewDto> {
    return this.units.view(unitId);
  }

  @Get(':id/free-positions')
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({
    summary: 'Up to `count` free positions in the boxes at or under the unit',
    description:
      'Boxes in the order of their path (names from the root down), then row by row, column by column.',
  })
  @ApiOkResponse({ type: [FreePositionDto] })
  @ApiBadRequestResponse({
    description: 'id not a UUID, count not in 1..1000 (VALIDATION_FAILED)',
    type: BAD_INPUT.type,
  })
  @ApiNotFoundResponse(notFoundResponse('No such storage unit'))
  freePositions(@UuidParam() unitId: string, @Query() query: FreePositionsQuery): Promise<FreePositionDto[]> {
    return this.units.freePositions(unitId, query.count);
  }
}
