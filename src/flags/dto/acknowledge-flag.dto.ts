import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** The body of POST /flags/:id/acknowledge: optional, and nothing but a note. */
export class AcknowledgeFlagDto {
  @ApiPropertyOptional({
    maxLength: 2000,
    example: 'Patient called back for follow-up on 2026-11-25',
    description: 'Kept as the reason of the acknowledgement in the audit trail',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
