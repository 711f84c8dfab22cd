import { SignerPasswordField } from '../../common/validation/fields';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CloseDeviationDto {
  @ApiProperty({
    example: 'CO2 sensor recalibrated; cells within spec at P3 count; no product impact',
    minLength: 1,
    maxLength: 5000,
    description: "The investigation's conclusion",
  })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'resolution must not be blank' })
  resolution!: string;

  @SignerPasswordField()
  password!: string;
}
