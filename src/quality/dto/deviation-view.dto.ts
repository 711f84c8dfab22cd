import { NullableObjectProperty } from '../../common/http/view-properties';
import { ApiProperty } from '@nestjs/swagger';
import { DeviationRow } from '../deviations.repository';
import { DEVIATION_SEVERITIES, DeviationSeverity } from '../domain/deviation-severity';

export class DeviationSignatureDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  signerId!: string;

  @ApiProperty({ example: 'Keiko Sato', description: "The signer's printed name at signing" })
  signerName!: string;

  @ApiProperty({ example: 'qa' })
  signerRole!: string;

  @ApiProperty({ example: 'Deviation closed' })
  meaning!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-21T02:00:00.000Z' })
  signedAt!: string;

  @ApiProperty({
    example: 'c0ffee'.padEnd(64, '0'),
    description: 'SHA-256 over the deviation and its resolution as signed',
  })
  recordHash!: string;
}

export class DeviationViewDto {
  @ApiProperty({ format: 'uuid', example: '6d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'Incubator 3 alarm: CO2 at 3.1 % for 40 minutes during P2' })
  description!: string;

  @ApiProperty({ enum: DEVIATION_SEVERITIES, example: 'MINOR' })
  severity!: DeviationSeverity;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-18T05:20:00.000Z' })
  occurredAt!: Date;

  @ApiProperty({ enum: ['OPEN', 'CLOSED'], example: 'OPEN' })
  status!: 'OPEN' | 'CLOSED';

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  openedBy!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-18T05:30:00.000Z' })
  openedAt!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  closedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  closedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  resolution!: string | null;

  @NullableObjectProperty(DeviationSignatureDto, "QA's signature on closing")
  signature!: DeviationSignatureDto | null;
}

export class DeviationPageDto {
  @ApiProperty({ type: [DeviationViewDto] })
  items!: DeviationViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function deviationView(row: DeviationRow): DeviationViewDto {
  return {
    id: row.id,
    batchId: row.batchId,
    description: row.description,
    severity: row.severity,
    occurredAt: row.occurredAt,
    status: row.status,
    openedBy: row.openedBy,
    openedAt: row.openedAt,
    closedBy: row.closedBy,
    closedAt: row.closedAt,
    resolution: row.resolution,
    signature: row.signature,
  };
}
