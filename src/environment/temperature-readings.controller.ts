import { Body, Controller, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { ImportReadingsQuery, ReadingsAcceptedDto, RecordReadingsDto } from './dto/temperature-readings.dto';
import { CsvBody } from './csv-body.decorator';
import { TemperatureReadingsService } from './temperature-readings.service';

const NOT_MONITORED: [ErrorCode, string] = [
  ErrorCode.STORAGE_UNSUITABLE,
  'The unit is a RACK or BOX: readings belong to its TANK or FREEZER',
];

@ApiTags('cold chain')
@Controller('temperature-readings')
export class TemperatureReadingsController {
  constructor(private readonly readings: TemperatureReadingsService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('technician', 'admin', 'monitor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record 1 to 10,000 temperature readings of a tank or freezer',
    description:
      'One reading per unit and instant: a reading at an instant already stored is counted in `duplicates` and the ' +
      'stored value stays. Excursions are found as the readings arrive and raise TEMPERATURE_EXCURSION; the vials ' +
      'in the unit during an excursion are put on hold until QA disposes of it.',
  })
  @ApiAcceptedResponse({ type: ReadingsAcceptedDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such storage unit'], NOT_MONITORED)
  record(@CurrentUser() user: AuthUser, @Body() dto: RecordReadingsDto): Promise<ReadingsAcceptedDto> {
    return this.readings.record(user, dto.unitId, dto.readings);
  }

  @Post('import')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('technician', 'admin')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Import a data logger's CSV file (all or nothing)",
    description:
      'Header `at,temperatureC`, one reading a line, `at` ISO 8601 with a zone; up to 1 MiB. A bad line is 400 with ' +
      '`details.lines` = [{line, field, message}] (the header is line 1), and nothing of the file is stored.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'at,temperatureC\n2026-11-24T09:30:00Z,-186.4\n2026-11-24T09:31:00Z,-186.5\n',
    },
  })
  @ApiAcceptedResponse({ type: ReadingsAcceptedDto })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'A bad line (details.lines), a wrong header, or a body that is not text/csv',
    ],
    [ErrorCode.NOT_FOUND, 'No such storage unit'],
    NOT_MONITORED,
    ErrorCode.PAYLOAD_TOO_LARGE,
  )
  import(
    @CurrentUser() user: AuthUser,
    @Query() query: ImportReadingsQuery,
    @CsvBody() file: Buffer,
  ): Promise<ReadingsAcceptedDto> {
    return this.readings.importLoggerFile(user, query.unitId, file);
  }
}
