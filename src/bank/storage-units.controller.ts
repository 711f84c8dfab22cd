import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
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
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'Invalid fields; a BOX without rows/cols or parent; rows/cols on another kind; a parent for a TANK/FREEZER; biohazard on a RACK/BOX',
    ],
    [ErrorCode.NOT_FOUND, 'No such parent unit'],
    [ErrorCode.DUPLICATE, 'A sibling unit has this name already'],
    [
      ErrorCode.STORAGE_UNSUITABLE,
      'The parent cannot hold this kind, e.g. a RACK in a RACK or anything in a BOX',
    ],
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateStorageUnitDto): Promise<StorageUnitSummaryDto> {
    return this.units.create(user, dto);
  }

  @Get(':id')
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'A storage unit with its children; a box lists its occupied positions' })
  @ApiOkResponse({ type: StorageUnitViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such storage unit'])
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
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, count not in 1..1000'],
    [ErrorCode.NOT_FOUND, 'No such storage unit'],
  )
  freePositions(@UuidParam() unitId: string, @Query() query: FreePositionsQuery): Promise<FreePositionDto[]> {
    return this.units.freePositions(unitId, query.count);
  }
}
