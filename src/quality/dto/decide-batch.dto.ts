import { SignerPasswordField } from '../../common/validation/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';

export const BATCH_DECISIONS = ['RELEASE', 'REJECT'] as const;
export type BatchDecision = (typeof BATCH_DECISIONS)[number];

export class DecideBatchDto {
  @ApiProperty({ enum: BATCH_DECISIONS, example: 'RELEASE' })
  @IsIn(BATCH_DECISIONS)
  decision!: BatchDecision;

  @SignerPasswordField()
  password!: string;

  @ApiProperty({
    example: 'Released for clinical use',
    minLength: 1,
    maxLength: 500,
    description: 'What the signature means',
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'meaning must state what the signature means' })
  meaning!: string;

  @ApiPropertyOptional({
    example: 'Endotoxin out of specification; investigation QI-2026-041',
    minLength: 1,
    maxLength: 2000,
    description: 'Required for REJECT',
  })
  @ValidateIf((dto: DecideBatchDto) => dto.decision === 'REJECT' || dto.reason !== undefined)
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason?: string;
}
