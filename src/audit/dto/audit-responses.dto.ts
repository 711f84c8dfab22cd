import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Page } from '../../common/pagination/pagination';
import {
  AuditEntryDetail,
  AuditEntryView,
  AuditVerification,
  ConsistencyProof,
  InclusionProof,
} from '../audit.service';
import { SignedTreeHead } from '../ledger/head-signer';

const HASH_EXAMPLE = '3b9f0c6e5d1a4f7b8c2e9d0a1b3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';

/** One entry of the trail, read from its canonical text: who, when, what, on which record, and why. */
// Each class implements the service's view, so the documentation cannot drift from what is returned.
export class AuditEntryDto implements AuditEntryView {
  @ApiProperty({ example: 1042, description: 'Order of writing (not of commit); may have gaps' })
  seq!: number;

  @ApiProperty({
    example: '2026-11-24T09:30:00.123Z',
    description: "When the change was made (the command's clock), UTC, to the millisecond",
  })
  at!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    example: '0b6f5d0e-8d1c-4a51-9a43-2a8b1f3c9e77',
    description: 'null for the system (bootstrap, jobs)',
  })
  actorId!: string | null;

  @ApiProperty({ example: 'technician', enum: ['admin', 'qa', 'technician', 'doctor', 'system'] })
  actorRole!: string;

  @ApiProperty({ example: 'batch.passage.recorded' })
  action!: string;

  @ApiProperty({ example: 'batch' })
  entityType!: string;

  @ApiProperty({ example: '5f0c7a52-3f0e-4a55-9b8e-1f6d1d2a7c3b' })
  entityId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The record before the change (any JSON), null when created',
    example: { currentPassage: 1 },
  })
  before!: unknown;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The record after the change (any JSON)',
    example: { currentPassage: 2 },
  })
  after!: unknown;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why, for corrections, rejections and discards',
  })
  reason!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1041,
    description:
      "Position in the ledger's Merkle tree; null until the sequencer integrates it (within about a second)",
  })
  leafIndex!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: HASH_EXAMPLE,
    description: 'SHA-256(0x00 || canonical text), hex; null until integrated',
  })
  leafHash!: string | null;
}

export class AuditEntryDetailDto extends AuditEntryDto implements AuditEntryDetail {
  @ApiProperty({ description: 'The canonical text: the bytes the leaf hash covers (UTF-8)' })
  canonical!: string;
}

export class AuditEntryPageDto implements Page<AuditEntryView> {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'WzEwNDJd',
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

/** A signed tree head: keep it, and hand it back to `verify` or check proofs against it offline. */
export class AuditHeadDto implements SignedTreeHead {
  @ApiProperty({ example: 1042, description: 'Leaves in the tree; 0 while it is empty' })
  treeSize!: number;

  @ApiProperty({
    example: HASH_EXAMPLE,
    description: 'RFC 9162 Merkle tree hash, hex; SHA-256 of nothing when empty',
  })
  rootHash!: string;

  @ApiProperty({ example: '2026-11-24T09:30:00.123Z', description: 'When it was signed, ISO 8601 UTC' })
  at!: string;

  @ApiProperty({
    example: `${'A'.repeat(86)}==`,
    description: 'Ed25519 over the UTF-8 text `cpc-audit-v1\\n{treeSize}\\n{rootHash}\\n{at}`, base64',
  })
  signature!: string;

  @ApiProperty({ example: HASH_EXAMPLE, description: "SHA-256 of the signing key's public key (DER), hex" })
  keyId!: string;
}

export class AuditPublicKeyDto {
  @ApiProperty({ example: HASH_EXAMPLE })
  keyId!: string;

  @ApiProperty({ example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA...\n-----END PUBLIC KEY-----\n' })
  publicKeyPem!: string;
}

export class InclusionProofDto implements InclusionProof {
  @ApiProperty({ example: 17 })
  leafIndex!: number;

  @ApiProperty({ example: 1042 })
  treeSize!: number;

  @ApiProperty({ example: HASH_EXAMPLE })
  leafHash!: string;

  @ApiProperty({
    type: [String],
    example: [HASH_EXAMPLE],
    description: 'RFC 9162 2.1.3 audit path, bottom up, hex',
  })
  auditPath!: string[];
}

export class ConsistencyProofDto implements ConsistencyProof {
  @ApiProperty({ example: 1000 })
  from!: number;

  @ApiProperty({ example: 1042 })
  to!: number;

  @ApiProperty({
    type: [String],
    example: [HASH_EXAMPLE],
    description: 'RFC 9162 2.1.4 consistency proof, hex',
  })
  proof!: string[];
}

export class AuditVerificationDto implements AuditVerification {
  @ApiProperty({
    example: true,
    description: 'Every leaf, node and head holds, and so does the kept head when given',
  })
  ok!: boolean;

  @ApiProperty({ example: 1042, description: 'Leaves checked' })
  checked!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description:
      'The first leaf whose entry, leaf hash or covering node does not hold, or the first missing leaf',
  })
  firstBadLeafIndex!: number | null;

  @ApiPropertyOptional({
    example: true,
    description: "Only with a kept head: it is signed with our key and today's tree extends it",
  })
  headOk?: boolean;
}
