import { Body, Controller, Get, Header, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import {
  PatchStorageUnitDto,
  StorageUnitWithLimitsDto,
  TemperaturesQuery,
  UnitTemperaturesDto,
} from './dto/unit-temperatures.dto';
import { TemperatureReadingsService } from './temperature-readings.service';
import { UnitConditionsService } from './unit-conditions.service';

const NOT_MONITORED: [ErrorCode, string] = [ErrorCode.STORAGE_UNSUITABLE, 'The unit is a RACK or BOX'];

@ApiTags('cold chain')
@Controller('storage-units/:id')
export class StorageUnitTemperaturesController {
  constructor(
    private readonly conditions: UnitConditionsService,
    private readonly readings: TemperatureReadingsService,
  ) {}

  @Patch()
  @Roles('admin')
  @ApiOperation({
    summary: "Rename a unit, or set a tank's or freezer's temperature limits",
    description:
      'Defaults until set: a TANK maxC -150, a FREEZER maxC -70, no minC, excursionMinutes 10. New limits judge the ' +
      'readings that arrive from then on; `minC: null` removes the lower limit. A new name renames the path of the ' +
      'unit and of everything below it.',
  })
  @ApiOkResponse({ type: StorageUnitWithLimitsDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid fields, nothing to change, or minC not below maxC'],
    [ErrorCode.NOT_FOUND, 'No such storage unit'],
    [ErrorCode.DUPLICATE, 'A sibling unit has this name already'],
    [ErrorCode.STORAGE_UNSUITABLE, 'Limits on a RACK or BOX: they belong to its TANK or FREEZER'],
  )
  patch(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: PatchStorageUnitDto,
  ): Promise<StorageUnitWithLimitsDto> {
    return this.conditions.patch(user, id, dto);
  }

  @Get('temperatures')
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({
    summary: "A tank's or freezer's readings, limits and excursions over a period",
    description:
      'At most 2,000 points: a period with more readings is cut into 1,000 intervals, each shown by its lowest and ' +
      'highest reading (`downsampled: true`). Default period: the 7 days before `to` (default now); at most 366 days.',
  })
  @ApiOkResponse({ type: UnitTemperaturesDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad id or timestamps, from not before to, or a period over 366 days'],
    [ErrorCode.NOT_FOUND, 'No such storage unit'],
    NOT_MONITORED,
  )
  temperatures(@UuidParam() id: string, @Query() query: TemperaturesQuery): Promise<UnitTemperaturesDto> {
    return this.readings.temperatures(id, query);
  }

  @Get('temperatures.svg')
  @Roles('admin', 'qa', 'technician')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({
    summary: 'The same period drawn as SVG: readings, limits, excursions and gaps in monitoring',
    description: "Times in the facility's zone (FACILITY_TZ).",
  })
  @ApiProduces('image/svg+xml', 'application/json')
  @ApiOkResponse({
    description: 'A self-contained SVG document',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad id or timestamps, from not before to, or a period over 366 days'],
    [ErrorCode.NOT_FOUND, 'No such storage unit'],
    NOT_MONITORED,
  )
  temperaturesSvg(@UuidParam() id: string, @Query() query: TemperaturesQuery): Promise<string> {
    return this.readings.temperaturesSvg(id, query);
  }
}
