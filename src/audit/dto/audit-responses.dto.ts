import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Page } from '../../common/pagination/pagination';
import { AuditEntryView, AuditHead, AuditVerification } from '../audit.service';

const HASH_EXAMPLE = '3b9f0c6e5d1a4f7b8c2e9d0a1b3c5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';
const PREV_HASH_EXAMPLE = 'e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912';

/** One entry of the trail, read from its canonical text: who, when, what, on which record, and why. */
// Each class implements the service's view, so the documentation cannot drift from what is returned.
export class AuditEntryDto implements AuditEntryView {
  @ApiProperty({ example: 1042, description: 'Position in the chain: gapless from 1' })
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

  @ApiProperty({ example: HASH_EXAMPLE, description: 'sha256(prevHash || canonical text), hex' })
  hash!: string;

  @ApiProperty({ example: PREV_HASH_EXAMPLE, description: 'hash of the entry before; 64 zeros for seq 1' })
  prevHash!: string;
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

/** The chain's newest entry, signed: an anchor for an auditor to keep and hand back to `verify` later. */
export class AuditHeadDto implements AuditHead {
  @ApiProperty({ example: 1042, description: '0 while the trail is empty' })
  seq!: number;

  @ApiProperty({ example: HASH_EXAMPLE, description: 'The entry hash; 64 zeros while the trail is empty' })
  hash!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-24T09:30:00.123Z',
    description: 'null while the trail is empty',
  })
  at!: string | null;

  @ApiProperty({
    example: '4c81d0aa96e2f1b3c5d7e9f0a2b4c6d8e1f3a5b7c9d0e2f4a6b8c0d1e3f5a7b9',
    description: 'HMAC-SHA256 with AUDIT_HMAC_KEY over `${seq}:${hash}`, hex',
  })
  signature!: string;
}

export class AuditVerificationDto implements AuditVerification {
  @ApiProperty({ example: true, description: 'The chain holds, and so does the anchor when one was given' })
  ok!: boolean;

  @ApiProperty({ example: 1042, description: 'Entries checked' })
  checked!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description: 'First seq where the chain breaks (edited entry, or first missing seq)',
  })
  firstBadSeq!: number | null;

  @ApiPropertyOptional({
    example: true,
    description:
      'Only with an anchor: it is signed with our key and its entry is still in the chain, unchanged',
  })
  anchorOk?: boolean;
}
