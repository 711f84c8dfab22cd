import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { ErrorCode } from '../common/errors/error-code';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { ApiErrors } from '../common/http/api-errors.decorator';
import {
  AuditEntryDetail,
  AuditEntryView,
  AuditService,
  AuditVerification,
  ConsistencyProof,
  InclusionProof,
} from './audit.service';
import { SignedTreeHead } from './ledger/head-signer';
import { AuditListQueryDto, AuditRangeQueryDto } from './dto/audit-query.dto';
import {
  AuditEntryDetailDto,
  AuditEntryDto,
  AuditEntryPageDto,
  AuditHeadDto,
  AuditPublicKeyDto,
  AuditVerificationDto,
  ConsistencyProofDto,
  InclusionProofDto,
} from './dto/audit-responses.dto';
import {
  AuditSeqParamDto,
  AuditVerifyQueryDto,
  ConsistencyProofQueryDto,
  InclusionProofQueryDto,
} from './dto/audit-verify-query.dto';

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
  leafIndex: 1041,
  leafHash: HASH,
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

  @Get('entries/:seq')
  @Roles('admin', 'qa')
  @ApiOperation({ summary: 'One entry with its canonical text, leaf index and leaf hash' })
  @ApiOkResponse({ type: AuditEntryDetailDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No entry with this seq'])
  entry(@Param() params: AuditSeqParamDto): Promise<AuditEntryDetail> {
    return this.audit.entry(params.seq);
  }

  @Get('head')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: "The ledger's newest signed tree head",
    description:
      'Keep it: handed back to `GET /audit/verify`, or checked against a consistency proof, it shows whether any ' +
      'part of the ledger it covers was rewritten or removed since. `signature` is Ed25519 (base64) over the UTF-8 ' +
      'text `cpc-audit-v1\\n{treeSize}\\n{rootHash}\\n{at}`, checked with `GET /audit/public-key`.',
  })
  @ApiOkResponse({ description: 'The signed head', type: AuditHeadDto })
  head(): Promise<SignedTreeHead> {
    return this.audit.head();
  }

  @Get('public-key')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'The public key that checks tree heads',
    description: 'SPKI PEM; `keyId` is the SHA-256 of its DER, hex. No secret is needed to verify a head.',
  })
  @ApiOkResponse({ type: AuditPublicKeyDto })
  publicKey(): { keyId: string; publicKeyPem: string } {
    return this.audit.publicKey();
  }

  @Get('proof/inclusion')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'Inclusion proof of one leaf (RFC 9162 2.1.3)',
    description:
      'The audit path of `leafIndex` in the tree of `treeSize` leaves; `treeSize` at most the signed head.',
  })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'treeSize past the signed head, or leafIndex outside the tree'])
  inclusion(@Query() query: InclusionProofQueryDto): Promise<InclusionProof> {
    return this.audit.inclusionProof(query.leafIndex, query.treeSize);
  }

  @Get('proof/consistency')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'Consistency proof between two tree sizes (RFC 9162 2.1.4)',
    description:
      'Proves the tree of `to` leaves extends the tree of `from`; 1 <= from <= to <= the signed head.',
  })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'from or to outside 1..the signed head, or from after to'])
  consistency(@Query() query: ConsistencyProofQueryDto): Promise<ConsistencyProof> {
    return this.audit.consistencyProof(query.from, query.to);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({
    summary: 'Recompute and check the whole ledger',
    description:
      "Recomputes every leaf from its entry's canonical text, every stored node from the leaves, and every stored " +
      "head's root, and checks each head's signature. With a kept head (all of `treeSize`, `rootHash`, `at`, " +
      "`signature`, from an earlier `GET /audit/head`) it also checks that the head is ours and that today's tree " +
      'extends it (`headOk`). Streams the leaves: constant memory.',
  })
  @ApiOkResponse({
    description: 'The outcome (200 whether or not the ledger holds)',
    type: AuditVerificationDto,
    example: { ok: true, checked: 1042, firstBadLeafIndex: null, headOk: true },
  })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Part of a kept head, or a malformed one'])
  verify(@Query() query: AuditVerifyQueryDto): Promise<AuditVerification> {
    const { treeSize, rootHash, at, signature } = query;
    // The DTO has made sure the four come together or not at all.
    const kept =
      treeSize !== undefined && rootHash !== undefined && at !== undefined && signature !== undefined
        ? { treeSize, rootHash, at, signature }
        : undefined;
    return this.audit.verify(kept);
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
