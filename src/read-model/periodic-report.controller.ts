import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { PeriodicReportDto, PeriodicReportQuery } from './dto/periodic-report.dto';
import { PeriodicReportService } from './periodic-report.service';

const REPORT_ERRORS: [ErrorCode, string][] = [
  [ErrorCode.VALIDATION_FAILED, 'Bad timestamps or clinic id, or from not before to'],
  [ErrorCode.NOT_FOUND, 'No such clinic'],
];

@ApiTags('reports')
@ApiExtraModels(PeriodicReportDto)
@Controller('reports')
export class PeriodicReportController {
  constructor(private readonly reports: PeriodicReportService) {}

  @Get('periodic')
  @Roles('qa', 'admin')
  @ApiOperation({
    summary: 'The periodic report of a period, for the facility or one clinic',
    description:
      'Each figure counts the records whose own time falls in [from, to). `Accept: text/csv` answers the same ' +
      'figures as `metric,value` rows with dotted names; `GET /reports/periodic.pdf` prints them.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(PeriodicReportDto) } },
      'text/csv': { schema: { type: 'string', example: 'metric,value\r\nharvests.received,12\r\n' } },
    },
  })
  @ApiErrors(...REPORT_ERRORS)
  async periodic(
    @Query() query: PeriodicReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PeriodicReportDto | string> {
    if (!wantsCsv(accept)) return this.reports.report(query);
    void reply.header('Content-Type', 'text/csv; charset=utf-8');
    return this.reports.csv(query);
  }
}

/** CSV when the client asks for it before (or instead of) JSON. */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}
