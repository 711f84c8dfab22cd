import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { ErrorCode } from '../common/errors/error-code';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuditEntryView, AuditHead, AuditService, AuditVerification } from './audit.service';
import { AuditListQueryDto, AuditRangeQueryDto } from './dto/audit-query.dto';
import {
  AuditEntryDto,
  AuditEntryPageDto,
  AuditHeadDto,
  AuditVerificationDto,
} from './dto/audit-responses.dto';
import { AuditVerifyQueryDto } from './dto/audit-verify-query.dto';

const HASH = '3b9f0c6e5d1a4f7b8c2e9d0a1b3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';

const ENTRY_EXAMPLE: AuditEntryDto = {
  seq: 1042,
  at: '2026-11-24T09:30:00.123Z',
  actorId: '0b6f5d0e-8d1c-4a51-9a43-2a8b1f3c9e77',
  actorRole: 'technician',
  action: 'batch.passage.recorded',
  entityType: 'batch',
  entityId: '5f0c7a52-3f0e-4a55-9b8e-1f6d1d2a7c3b',
  before: { currentPassage: 1 },
  after: { currentPassage: 2 },
  reason: null,
  hash: HASH,
  prevHash: 'e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912',
};

function validationExample(field: string, error: string): { example: ErrorResponseDto } {
  return {
    example: {
      statusCode: 400,
      code: ErrorCode.VALIDATION_FAILED,
      message: `Invalid input: ${field}`,
      details: { fields: [{ field, errors: [error] }] },
    },
  };
}

/** The audit trail over HTTP: query, signed head, verification and export. The rules live in AuditService. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'Audit entries, oldest first',
    description:
      "Filters combine: `entityId` of a batch gives that batch's whole record. `from` is inclusive and `to` exclusive, " +
      "on the entries' `at`. Cursor-paginated (`limit` 1..200, `cursor` = the previous `nextCursor`).",
  })
  @ApiOkResponse({
    description: 'One page of entries, oldest first',
    type: AuditEntryPageDto,
    example: { items: [ENTRY_EXAMPLE], nextCursor: 'WzEwNDJd' },
  })
  @ApiBadRequestResponse({
    description: 'A bad filter, limit or cursor (VALIDATION_FAILED)',
    type: ErrorResponseDto,
    ...validationExample('actorId', 'actorId must be a UUID'),
  })
  list(@Query() query: AuditListQueryDto): Promise<Page<AuditEntryView>> {
    return this.audit.list(query);
  }

  @Get('head')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: "The chain's newest entry, signed",
    description:
      'Keep it: handed back to `GET /audit/verify` later, it shows whether the newest entries were removed or the tail ' +
      'rewritten since. `signature` is HMAC-SHA256 with AUDIT_HMAC_KEY (a key the database never holds) over ' +
      '`${seq}:${hash}`, hex. An empty trail answers seq 0 and 64 zeros, signed.',
  })
  @ApiOkResponse({
    description: 'The signed head',
    type: AuditHeadDto,
    example: {
      seq: 1042,
      hash: HASH,
      at: '2026-11-24T09:30:00.123Z',
      signature: '4c81d0aa96e2f1b3c5d7e9f0a2b4c6d8e1f3a5b7c9d0e2f4a6b8c0d1e3f5a7b9',
    },
  })
  head(): Promise<AuditHead> {
    return this.audit.head();
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({
    summary: 'Walk and check the whole hash chain',
    description:
      'Checks that seq is gapless from 1, that each entry names the hash of the one before, and that each hash is ' +
      'sha256(prevHash || canonical text). With an anchor (all of `anchorSeq`, `anchorHash`, `anchorSignature`, ' +
      'from an earlier `GET /audit/head`) it also checks the signature is ours and the chain still holds that entry ' +
      'unchanged; `ok` is false when the anchor fails. Streams the chain in batches: constant memory.',
  })
  @ApiOkResponse({
    description: 'The outcome (200 whether or not the chain holds)',
    type: AuditVerificationDto,
    example: { ok: true, checked: 1042, firstBadSeq: null, anchorOk: true },
  })
  @ApiBadRequestResponse({
    description: 'Part of an anchor, or a malformed one (VALIDATION_FAILED)',
    type: ErrorResponseDto,
    ...validationExample('anchorHash', 'anchorHash is required with anchorSeq and anchorSignature'),
  })
  verify(@Query() query: AuditVerifyQueryDto): Promise<AuditVerification> {
    const { anchorSeq, anchorHash, anchorSignature } = query;
    // The DTO has made sure the three come together or not at all.
    const anchor =
      anchorSeq !== undefined && anchorHash !== undefined && anchorSignature !== undefined
        ? { seq: anchorSeq, hash: anchorHash, signature: anchorSignature }
        : undefined;
    return this.audit.verify(anchor);
  }

  @Get('export')
  @Roles('admin')
  @ApiOperation({
    summary: 'The trail as NDJSON, streamed',
    description:
      'One entry a line (the same view as `GET /audit`), oldest first, up to the head at the time of the request; ' +
      '`from` inclusive, `to` exclusive. Streamed in constant memory however large the trail.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'application/x-ndjson: one JSON entry per line',
    schema: { type: 'string', example: `${JSON.stringify(ENTRY_EXAMPLE)}\n` },
  })
  @ApiBadRequestResponse({
    description: 'A bad time, or `to` before `from` (VALIDATION_FAILED)',
    type: ErrorResponseDto,
    ...validationExample('to', 'to must not be before from'),
  })
  async export(@Query() query: AuditRangeQueryDto): Promise<StreamableFile> {
    const stream = await this.audit.exportNdjson(query);
    return new StreamableFile(stream, {
      type: 'application/x-ndjson',
      disposition: 'attachment; filename="audit-trail.ndjson"',
    });
  }
}
