import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchRecordDto } from '../read-model/dto/batch-record.dto';
import { RecordsService } from './records.service';

const PDF = {
  description: 'A PDF document',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
} as const;

@ApiTags('records')
@Controller()
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get('batches/:id/record')
  @Roles('qa', 'admin')
  @ApiOperation({
    summary: 'The batch record as data',
    description:
      'Built from the records on request; documentHash is SHA-256 over the canonical JSON of the other fields ' +
      'but generatedAt. Each generation is audited (document.generated) with its hash.',
  })
  @ApiOkResponse({ type: BatchRecordDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'], [ErrorCode.NOT_FOUND, 'No such batch'])
  record(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<BatchRecordDto> {
    return this.records.batchRecord(user, id);
  }

  @Get('batches/:id/record.pdf')
  @Roles('qa', 'admin')
  @Header('Content-Type', 'application/pdf')
  @ApiOperation({
    summary: 'The batch record as a PDF to sign off',
    description:
      'Identity, collection and receipt, steps (corrections beside what they replace), materials, equipment, QC ' +
      'against the limits applied, deviations and their closure, the signature, doses and vials, unverified ' +
      'hand-offs; "Page n of m" and the documentHash on every page. The same data gives the same bytes.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'], [ErrorCode.NOT_FOUND, 'No such batch'])
  recordPdf(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<Buffer> {
    return this.records.batchRecordPdf(user, id);
  }

  @Get('doses/:id/certificate.pdf')
  @Roles('qa', 'admin', 'doctor')
  @Header('Content-Type', 'application/pdf')
  @ApiOperation({
    summary: "The certificate of analysis that goes with a dose (the CPC's part of the clinic's record)",
    description:
      'Product, DIN and dose label, cells, volume, expiry, where and when the cells were collected, the donor ' +
      "screening, processing, QC results with their limits, the release signature and the batch record's " +
      'documentHash. A doctor gets only their clinic’s doses (others: 404).',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse(PDF)
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'],
    [ErrorCode.NOT_FOUND, "No such dose, or another clinic's for a doctor"],
    [ErrorCode.INVALID_TRANSITION, 'The batch of the dose is not released'],
  )
  certificatePdf(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<Buffer> {
    return this.records.certificatePdf(user, id);
  }
}
