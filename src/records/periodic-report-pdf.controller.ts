import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { PeriodicReportQuery } from '../read-model/dto/periodic-report.dto';
import { PeriodicReportDocumentService } from './periodic-report-document.service';

/** `GET /reports/periodic.pdf`: here, beside the other printed documents, as the read model renders nothing. */
@ApiTags('reports')
@Controller('reports')
export class PeriodicReportPdfController {
  constructor(private readonly documents: PeriodicReportDocumentService) {}

  @Get('periodic.pdf')
  @Roles('qa', 'admin')
  @Header('Content-Type', 'application/pdf')
  @ApiOperation({
    summary: 'The periodic report of a period as a PDF, for the facility or one clinic',
    description:
      'The figures of `GET /reports/periodic` for the same query, one table per kind of record with the CSV ' +
      'metric names, the clinic and the period on every page, and the documentHash of the figures at the foot. ' +
      'The same period and records give the same bytes.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'A PDF document',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Bad timestamps or clinic id, or from not before to'],
    [ErrorCode.NOT_FOUND, 'No such clinic'],
  )
  periodicPdf(@Query() query: PeriodicReportQuery): Promise<Buffer> {
    return this.documents.pdf(query);
  }
}
