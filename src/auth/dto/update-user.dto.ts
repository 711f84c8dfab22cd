import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../../common/transaction/actor';

/**
 * What an administrator may change. Absent fields stay as they are; `clinicId: null` removes the clinic
 * (needed when a doctor becomes CPC staff). Email and password are not changed here.
 */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Hiroshi Tanaka', minLength: 1, maxLength: 200 })
  @ValidateIf((dto: UpdateUserDto) => dto.name !== undefined)
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, example: 'qa' })
  @ValidateIf((dto: UpdateUserDto) => dto.role !== undefined)
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    type: String,
    nullable: true,
    example: null,
    description:
      'The doctor/clinic rule must hold after the change: a doctor has a clinic, nobody else has one',
  })
  @ValidateIf((dto: UpdateUserDto) => dto.clinicId !== undefined && dto.clinicId !== null)
  @IsUUID()
  clinicId?: string | null;

  @ApiPropertyOptional({
    example: false,
    description: "false deactivates: the user's tokens stop working at once",
  })
  @ValidateIf((dto: UpdateUserDto) => dto.active !== undefined)
  @IsBoolean()
  active?: boolean;
}
