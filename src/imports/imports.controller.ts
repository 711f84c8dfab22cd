import { Controller, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CsvBody } from '../environment/csv-body.decorator';
import {
  BankInventoryImportQuery,
  DryRunResultDto,
  ImportStartedDto,
  ImportViewDto,
} from './dto/imports.dto';
import { IMPORT_BODY_LIMIT_BYTES } from './import-limits';
import { ImportsService } from './imports.service';

const EXAMPLE =
  'clinicCode,externalRef,birthYear,sex,din,vialLabel,frozenAt,cells,boxId,row,col\n' +
  'OSAKA-01,LEGACY-0042,1961,F,A123419000042,A123419000042-V001,2019-05-01T10:00:00+09:00,5000000,5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c,1,1\n';

@ApiTags('imports')
@ApiExtraModels(DryRunResultDto, ImportStartedDto)
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('bank-inventory')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiIdempotencyKey()
  @RouteConfig({ bodyLimit: IMPORT_BODY_LIMIT_BYTES })
  @ApiOperation({
    summary: "Import a legacy bank's inventory (CSV), or check it first (dry run)",
    description:
      'One vial a line (up to 64 MiB). `dryRun=true` answers 200 with every bad line (the header is line 1) and ' +
      'stores nothing. `dryRun=false` answers 202 with the import, run as a job (`GET /imports/:id`): good lines ' +
      'are banked as vials of LEGACY batches (not reservable until QA accepts the batch), bad lines are listed, ' +
      'and a line whose vial label is a vial already is skipped, so a file is simply run again after a failure. ' +
      'The same file while its import is unfinished answers that import.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: EXAMPLE } })
  @ApiOkResponse({ description: 'The dry run', schema: { $ref: getSchemaPath(DryRunResultDto) } })
  @ApiAcceptedResponse({
    description: 'The import started',
    schema: { $ref: getSchemaPath(ImportStartedDto) },
  })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'dryRun missing; a wrong header (real run); a body that is not text/csv'],
    ErrorCode.PAYLOAD_TOO_LARGE,
  )
  async bankInventory(
    @CurrentUser() user: AuthUser,
    @Query() query: BankInventoryImportQuery,
    @CsvBody() file: Buffer,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DryRunResultDto | ImportStartedDto> {
    if (query.dryRun) return this.imports.dryRun(file.toString('utf8'));
    void reply.status(HttpStatus.ACCEPTED);
    return this.imports.start(user, file.toString('utf8'));
  }

  @Get(':id')
  @HttpCode(HttpStatus.OK)
  @Roles('admin')
  @ApiOperation({ summary: "An import's progress: counts and every bad line so far" })
  @ApiOkResponse({ type: ImportViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such import'])
  view(@UuidParam('id') id: string): Promise<ImportViewDto> {
    return this.imports.view(id);
  }
}
