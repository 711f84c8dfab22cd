import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Sex } from '../donors.repository';
import { ConsentDto } from './consent.dto';

export const SEXES: readonly Sex[] = ['F', 'M', 'X'];

export class CreateDonorDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
    description:
      'Required for an admin (400 naming clinicId when missing; an unknown clinic is 404). A doctor registers ' +
      "donors of their own clinic: they may omit it or send their own; another clinic's id is 404 (it does not exist for them).",
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({
    example: 'K-000123',
    maxLength: 100,
    description: "The clinic's own chart number, to find the patient again; the donor code stays free of it",
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'externalRef must not be blank' })
  externalRef?: string;

  @ApiProperty({
    type: 'integer',
    example: 1968,
    minimum: 1900,
    description: 'Year of birth (not after the current year)',
  })
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear!: number;

  @ApiProperty({ enum: SEXES, example: 'F' })
  @IsIn(SEXES)
  sex!: Sex;

  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}
