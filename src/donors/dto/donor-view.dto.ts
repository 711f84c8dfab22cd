import { NullableObjectProperty } from '../../common/http/view-properties';
import { ApiProperty } from '@nestjs/swagger';
import {
  ScreeningMarker,
  ScreeningResult,
  ScreeningStatus,
  ScreeningSummary,
} from '../domain/screening-status';
import { ConsentRow, DonorRow, ScreeningRow, Sex } from '../donors.repository';
import { SEXES } from './create-donor.dto';

export class ScreeningViewDto {
  @ApiProperty({ format: 'uuid', example: '0f8c1e5a-3b7d-4e2a-9c6f-1d2e3f4a5b6c' })
  id!: string;

  @ApiProperty({ enum: ScreeningMarker, example: ScreeningMarker.HBV })
  marker!: ScreeningMarker;

  @ApiProperty({ enum: ScreeningResult, example: ScreeningResult.NEGATIVE })
  result!: ScreeningResult;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-18T05:00:00.000Z' })
  testedAt!: Date;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'The entry this one corrects',
  })
  correctsId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'The correction that replaced this entry; a superseded entry no longer counts',
  })
  supersededBy!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the corrected entry was wrong',
  })
  reason!: string | null;

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  recordedBy!: string;

  @ApiProperty({ example: 'doctor' })
  recordedByRole!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-18T06:12:00.000Z' })
  recordedAt!: Date;
}

export class ConsentViewDto {
  @ApiProperty({ format: 'uuid', example: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d' })
  id!: string;

  @ApiProperty({ example: true })
  treatment!: boolean;

  @ApiProperty({ example: true })
  banking!: boolean;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T01:00:00.000Z' })
  signedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2031-11-19T15:00:00.000Z' })
  bankingExpiresAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: 'CPC-IC-2026.2' })
  formVersion!: string | null;

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  recordedBy!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T01:05:00.000Z' })
  recordedAt!: Date;
}

export class ScreeningMarkersDto {
  @ApiProperty({ enum: ScreeningResult, nullable: true, example: 'NEGATIVE' })
  HBV!: ScreeningResult | null;

  @ApiProperty({ enum: ScreeningResult, nullable: true, example: 'NEGATIVE' })
  HCV!: ScreeningResult | null;

  @ApiProperty({ enum: ScreeningResult, nullable: true, example: 'NEGATIVE' })
  HIV!: ScreeningResult | null;

  @ApiProperty({ enum: ScreeningResult, nullable: true, example: 'NEGATIVE' })
  HTLV1!: ScreeningResult | null;

  @ApiProperty({ enum: ScreeningResult, nullable: true, example: null })
  SYPHILIS!: ScreeningResult | null;
}

export class DonorViewDto {
  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  id!: string;

  @ApiProperty({
    example: 'D-7K3M9QXA',
    description: 'Generated, unique, free of personal data; printed on the wristband',
  })
  code!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'K-000123' })
  externalRef!: string | null;

  @ApiProperty({ example: 1968 })
  birthYear!: number;

  @ApiProperty({ enum: SEXES, example: 'F' })
  sex!: Sex;

  @ApiProperty({
    enum: ScreeningStatus,
    example: ScreeningStatus.PENDING,
    description:
      'Derived when read: REACTIVE if any current result is reactive (a later NEGATIVE does not lift it, only a qa ' +
      'correction does), NEGATIVE when all five markers have a current negative, else PENDING',
  })
  screeningStatus!: ScreeningStatus;

  @ApiProperty({
    type: ScreeningMarkersDto,
    description: 'What counts per marker (null: no current result yet)',
  })
  screeningMarkers!: Record<ScreeningMarker, ScreeningResult | null>;

  @ApiProperty({
    type: [ScreeningViewDto],
    description: 'Every entry in the order recorded, superseded ones included',
  })
  screenings!: ScreeningViewDto[];

  @NullableObjectProperty(ConsentViewDto, 'The consent in force: the one recorded last')
  consent!: ConsentViewDto | null;

  @ApiProperty({
    type: [ConsentViewDto],
    description: 'Every consent recorded, oldest first; the last is in force',
  })
  consents!: ConsentViewDto[];

  @ApiProperty({ format: 'uuid', example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T01:05:00.000Z' })
  createdAt!: Date;
}

export class DonorPageDto {
  @ApiProperty({ type: [DonorViewDto] })
  items!: DonorViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** A recorded screening entry and what the donor's status is now. */
export class ScreeningRecordedDto extends ScreeningViewDto {
  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({ enum: ScreeningStatus, example: ScreeningStatus.NEGATIVE })
  screeningStatus!: ScreeningStatus;
}

/** A recorded consent; it replaced `replacesId`, which stays in the donor's `consents`. */
export class ConsentRecordedDto extends ConsentViewDto {
  @ApiProperty({ format: 'uuid', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  })
  replacesId!: string | null;
}

export function screeningView(row: ScreeningRow): ScreeningViewDto {
  return {
    id: row.id,
    marker: row.marker,
    result: row.result,
    testedAt: row.testedAt,
    correctsId: row.correctsId,
    supersededBy: row.supersededBy,
    reason: row.reason,
    recordedBy: row.recordedBy,
    recordedByRole: row.recordedByRole,
    recordedAt: row.recordedAt,
  };
}

export function consentView(row: ConsentRow): ConsentViewDto {
  return {
    id: row.id,
    treatment: row.treatment,
    banking: row.banking,
    signedAt: row.signedAt,
    bankingExpiresAt: row.bankingExpiresAt,
    formVersion: row.formVersion,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
  };
}

export function donorView(
  donor: DonorRow,
  screenings: ScreeningRow[],
  summary: ScreeningSummary,
  consents: ConsentRow[],
): DonorViewDto {
  const consentViews = consents.map(consentView);
  return {
    id: donor.id,
    code: donor.code,
    clinicId: donor.clinicId,
    externalRef: donor.externalRef,
    birthYear: donor.birthYear,
    sex: donor.sex,
    screeningStatus: summary.status,
    screeningMarkers: summary.markers,
    screenings: screenings.map(screeningView),
    consent: consentViews.length > 0 ? consentViews[consentViews.length - 1] : null,
    consents: consentViews,
    createdBy: donor.createdBy,
    createdAt: donor.createdAt,
  };
}
