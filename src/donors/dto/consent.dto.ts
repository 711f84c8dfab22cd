import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsPastEventTime, IsZonedTimestamp } from '../../common/validation/past-event.validator';

/** A signed consent form: treatment (the harvest and the dose) and banking (cryopreserved surplus) apart. */
export class ConsentDto {
  @ApiProperty({
    example: true,
    description: 'Consent to harvest, culture and treatment; without it no harvest',
  })
  @IsBoolean()
  treatment!: boolean;

  @ApiProperty({
    example: true,
    description: 'Consent to bank surplus cells; without it nothing is cryopreserved',
  })
  @IsBoolean()
  banking!: boolean;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-20T10:00:00+09:00',
    description: 'When the form was signed (not more than 5 minutes ahead)',
  })
  @IsPastEventTime()
  signedAt!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2031-11-20T00:00:00+09:00',
    description: 'When the banking consent lapses; only with banking: true, and after signedAt',
  })
  @IsOptional()
  @IsZonedTimestamp()
  bankingExpiresAt?: string;

  @ApiPropertyOptional({
    example: 'CPC-IC-2026.2',
    maxLength: 50,
    description: 'Version of the consent form signed',
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: 'formVersion must not be blank' })
  formVersion?: string;
}
