import { ApiProperty } from '@nestjs/swagger';
import { ClinicRow } from '../clinics.repository';

export class ClinicViewDto {
  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  id!: string;

  @ApiProperty({ example: 'OSAKA-01' })
  code!: string;

  @ApiProperty({ example: 'Osaka Knee Clinic' })
  name!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T09:30:00.000Z' })
  createdAt!: Date;
}

export class ClinicPageDto {
  @ApiProperty({ type: [ClinicViewDto] })
  items!: ClinicViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function clinicView(row: ClinicRow): ClinicViewDto {
  return { id: row.id, code: row.code, name: row.name, createdAt: row.createdAt };
}
