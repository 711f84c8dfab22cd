import { SignerPasswordField } from '../../common/validation/fields';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** QA's acceptance of a legacy batch's paper record, under their signature (docs/imports.md). */
export class AcceptLegacyDto {
  @SignerPasswordField()
  password!: string;

  @ApiProperty({
    example: 'Paper batch record and consent reviewed; accepted into the bank',
    minLength: 1,
    maxLength: 500,
    description: 'What the signature means',
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'meaning must state what the signature means' })
  meaning!: string;
}
