import { ApiProperty } from '@nestjs/swagger';
import { Role, ROLES } from '../../common/transaction/actor';
import { UserRow } from '../users.repository';

/** A user as the API shows it: never the password or its hash. */
export class UserViewDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  id!: string;

  @ApiProperty({ example: 'h.tanaka@cpc.example.jp' })
  email!: string;

  @ApiProperty({ example: 'Hiroshi Tanaka', description: 'Printed name, as it appears on signatures' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'technician' })
  role!: Role;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    example: null,
    description: 'Set for doctors only',
  })
  clinicId!: string | null;

  @ApiProperty({ example: true, description: 'A deactivated user cannot sign in; their records stay' })
  active!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'Set while the account is locked after too many failed logins or signatures',
  })
  lockedUntil!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T09:30:00.000Z' })
  createdAt!: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserViewDto] })
  items!: UserViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function userView(row: UserRow): UserViewDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    clinicId: row.clinicId,
    active: row.active,
    lockedUntil: row.lockedUntil,
    createdAt: row.createdAt,
  };
}
