import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { IsZonedTimestamp } from '../../common/validation/past-event.validator';

/** A window of time on the entries' `at`, half-open so consecutive windows never export an entry twice. */
export class AuditRangeQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries at or after this time (ISO 8601 with zone).',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsZonedTimestamp()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries before this time (ISO 8601 with zone); not before `from`.',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsZonedTimestamp()
  to?: string;
}

export class AuditListQueryDto extends IntersectionType(PageQuery, AuditRangeQueryDto) {
  @ApiPropertyOptional({ description: 'Kind of record the command acted on.', example: 'batch' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entityType?: string;

  @ApiPropertyOptional({
    description: "The record's id: a batch id gives that batch's whole record.",
    example: '5f0c7a52-3f0e-4a55-9b8e-1f6d1d2a7c3b',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  entityId?: string;

  @ApiPropertyOptional({ description: 'The user who acted.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;
}
