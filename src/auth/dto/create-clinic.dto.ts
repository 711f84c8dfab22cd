import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreateClinicDto {
  @ApiProperty({
    example: 'OSAKA-01',
    pattern: '^[A-Z0-9-]{2,16}$',
    description: 'Unique; upper-case letters, digits and -',
  })
  @IsString()
  @Matches(/^[A-Z0-9-]{2,16}$/, { message: 'code must be 2 to 16 characters of A-Z, 0-9 and -' })
  code!: string;

  @ApiProperty({ example: 'Osaka Knee Clinic', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}
