import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../common/transaction/actor';

export const PASSWORD_MIN_LENGTH = 12;
// argon2 takes any length, but hashing a megabyte on every login attempt would be a cheap denial of service.
export const PASSWORD_MAX_LENGTH = 1024;

export class CreateUserDto {
  @ApiProperty({ example: 'h.tanaka@cpc.example.jp', description: 'Unique, compared case-insensitively' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({
    example: 'Hiroshi Tanaka',
    minLength: 1,
    maxLength: 200,
    description: 'Printed name used on signatures',
  })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'technician' })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({
    example: 'correct horse battery',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    writeOnly: true,
  })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    type: String,
    nullable: true,
    example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
    description:
      'Required if and only if role is doctor (400 VALIDATION_FAILED naming clinicId otherwise); an unknown clinic is 404',
  })
  @ValidateIf((dto: CreateUserDto) => dto.clinicId !== undefined && dto.clinicId !== null)
  @IsUUID()
  clinicId?: string | null;
}
