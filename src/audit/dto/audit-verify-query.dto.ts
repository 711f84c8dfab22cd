import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An anchor is all three parameters or none: half an anchor would check nothing and look as if it had. */
const anchorGiven = (query: AuditVerifyQueryDto): boolean =>
  query.anchorSeq !== undefined || query.anchorHash !== undefined || query.anchorSignature !== undefined;

export class AuditVerifyQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: '`seq` of an earlier `GET /audit/head`; with anchorHash and anchorSignature.',
    example: 1042,
  })
  @ValidateIf(anchorGiven)
  @IsDefined({ message: 'anchorSeq is required with anchorHash and anchorSignature' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  anchorSeq?: number;

  @ApiPropertyOptional({
    description: '`hash` of that head (64 lower-case hex).',
    example: '9f2b5c1e'.repeat(8),
  })
  @ValidateIf(anchorGiven)
  @IsDefined({ message: 'anchorHash is required with anchorSeq and anchorSignature' })
  @Matches(SHA256_HEX, { message: 'anchorHash must be 64 lower-case hex characters' })
  anchorHash?: string;

  @ApiPropertyOptional({
    description: '`signature` of that head (64 lower-case hex).',
    example: '4c81d0aa'.repeat(8),
  })
  @ValidateIf(anchorGiven)
  @IsDefined({ message: 'anchorSignature is required with anchorSeq and anchorHash' })
  @Matches(SHA256_HEX, { message: 'anchorSignature must be 64 lower-case hex characters' })
  anchorSignature?: string;
}
