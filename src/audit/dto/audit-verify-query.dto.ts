import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsISO8601, Matches, Max, Min, ValidateIf } from 'class-validator';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ED25519_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

/** A kept head is all four parameters or none: half a head would check nothing and look as if it had. */
const headGiven = (query: AuditVerifyQueryDto): boolean =>
  query.treeSize !== undefined ||
  query.rootHash !== undefined ||
  query.at !== undefined ||
  query.signature !== undefined;

/** A head an auditor kept from `GET /audit/head`, handed back as it was. */
export class AuditVerifyQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: '`treeSize` of the kept head.', example: 1042 })
  @ValidateIf(headGiven)
  @IsDefined({ message: 'treeSize is required with rootHash, at and signature' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize?: number;

  @ApiPropertyOptional({
    description: '`rootHash` of the kept head (64 lower-case hex).',
    example: '9f2b5c1e'.repeat(8),
  })
  @ValidateIf(headGiven)
  @IsDefined({ message: 'rootHash is required with treeSize, at and signature' })
  @Matches(SHA256_HEX, { message: 'rootHash must be 64 lower-case hex characters' })
  rootHash?: string;

  @ApiPropertyOptional({
    description: '`at` of the kept head, exactly as it was returned (the signature covers the text).',
    example: '2026-11-24T09:30:00.123Z',
  })
  @ValidateIf(headGiven)
  @IsDefined({ message: 'at is required with treeSize, rootHash and signature' })
  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 timestamp' })
  at?: string;

  @ApiPropertyOptional({
    description: '`signature` of the kept head (Ed25519, base64).',
    example: `${'A'.repeat(86)}==`,
  })
  @ValidateIf(headGiven)
  @IsDefined({ message: 'signature is required with treeSize, rootHash and at' })
  @Matches(ED25519_BASE64, { message: 'signature must be a base64 Ed25519 signature' })
  signature?: string;
}

export class InclusionProofQueryDto {
  @ApiProperty({ type: 'integer', description: 'The leaf to prove, 0-based.', example: 17 })
  @IsDefined()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  leafIndex!: number;

  @ApiProperty({
    type: 'integer',
    description: 'The tree to prove it in: at most the signed head.',
    example: 1042,
  })
  @IsDefined()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize!: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ type: 'integer', description: 'The earlier tree size (at least 1).', example: 1000 })
  @IsDefined()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  from!: number;

  @ApiProperty({
    type: 'integer',
    description: 'The later tree size: at least `from`, at most the signed head.',
    example: 1042,
  })
  @IsDefined()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  to!: number;
}

export class AuditSeqParamDto {
  @ApiProperty({ type: 'integer', example: 1042 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  seq!: number;
}
