import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, NullableObjectProperty, UuidProperty } from '../../common/http/view-properties';
import { PageQuery } from '../../common/pagination/pagination';
import {
  BooleanField,
  EnumField,
  PastTimestampField,
  TextField,
  UuidField,
  SignerPasswordField,
} from '../../common/validation/fields';
import { AdverseEventEntity, VigilanceSignature } from '../adverse-event.entity';
import {
  AdverseEventStatus,
  CAUSALITIES,
  Causality,
  isOverdue,
  SERIOUSNESS_CLASSES,
  Seriousness,
} from '../domain/adverse-event-rules';

export class RecordAdverseEventDto {
  @UuidField({ description: 'The patient (donor) who had the event' })
  donorId!: string;

  @UuidField({ optional: true, description: "The dose suspected; the donor's, and ADMINISTERED" })
  doseId?: string;

  @PastTimestampField({ example: '2026-11-20T08:00:00+09:00', description: 'When the event began' })
  onsetAt!: string;

  @PastTimestampField({
    optional: true,
    example: '2026-11-21T10:00:00+09:00',
    description: 'When the clinic learned of it (default: now); the reporting clock starts here',
  })
  knownAt?: string;

  @TextField({ max: 5000, notBlank: true, example: 'Swelling and fever in the treated knee, admitted' })
  description!: string;

  @EnumField(SERIOUSNESS_CLASSES, { enumName: 'Seriousness', example: Seriousness.HOSPITALIZATION })
  seriousness!: Seriousness;

  @BooleanField({
    optional: true,
    description: "An infection from the cells is suspected: the batch's banked vials are held",
  })
  suspectedInfection?: boolean;
}

export class ReportAdverseEventDto {
  @PastTimestampField({ example: '2026-11-25T10:00:00+09:00', description: 'When the report was filed' })
  reportedAt!: string;

  @TextField({ max: 200, notBlank: true, example: 'MHLW-2026-000123', description: 'The receipt number' })
  reference!: string;

  @SignerPasswordField()
  password!: string;
}

export class CloseAdverseEventDto {
  @EnumField(CAUSALITIES, { enumName: 'Causality', example: Causality.UNLIKELY })
  causality!: Causality;

  @TextField({ max: 5000, notBlank: true, example: 'Culture of the joint fluid negative; not related' })
  conclusion!: string;

  @SignerPasswordField()
  password!: string;
}

export class ListAdverseEventsQuery extends PageQuery {
  @EnumField(AdverseEventStatus, { optional: true, enumName: 'AdverseEventStatus' })
  status?: AdverseEventStatus;

  @UuidField({ optional: true, description: "One clinic's events (a doctor sees only their own clinic's)" })
  clinicId?: string;
}

export class VigilanceSignatureDto {
  @UuidProperty()
  signerId!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  signerName!: string;

  @ApiProperty({ example: 'qa' })
  signerRole!: string;

  @ApiProperty({ example: 'Report of a serious adverse event filed' })
  meaning!: string;

  @DateTimeProperty()
  signedAt!: Date;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  recordHash!: string;
}

export class AdverseEventReportDto {
  @DateTimeProperty()
  reportedAt!: Date;

  @ApiProperty({ example: 'MHLW-2026-000123' })
  reference!: string;

  @ApiProperty({ example: false, description: 'Filed after reportDueAt' })
  late!: boolean;

  @ApiProperty({ type: VigilanceSignatureDto })
  signature!: VigilanceSignatureDto;
}

export class AdverseEventClosureDto {
  @ApiProperty({ enum: CAUSALITIES, enumName: 'Causality' })
  causality!: Causality;

  @ApiProperty({ example: 'Culture of the joint fluid negative; not related' })
  conclusion!: string;

  @ApiProperty({ type: VigilanceSignatureDto })
  signature!: VigilanceSignatureDto;
}

export class AdverseEventViewDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ enum: AdverseEventStatus, enumName: 'AdverseEventStatus' })
  status!: AdverseEventStatus;

  @UuidProperty()
  donorId!: string;

  @UuidProperty()
  clinicId!: string;

  @UuidProperty({ nullable: true, example: null })
  doseId!: string | null;

  @UuidProperty({ nullable: true, example: null, description: "The dose's batch" })
  batchId!: string | null;

  @DateTimeProperty()
  onsetAt!: Date;

  @DateTimeProperty({ description: 'When the clinic learned of it: the reporting clock starts here' })
  knownAt!: Date;

  @ApiProperty({ example: 'Swelling and fever in the treated knee, admitted' })
  description!: string;

  @ApiProperty({ enum: SERIOUSNESS_CLASSES, enumName: 'Seriousness' })
  seriousness!: Seriousness;

  @ApiProperty({ example: false })
  suspectedInfection!: boolean;

  @DateTimeProperty({
    nullable: true,
    description:
      'knownAt + 7 days (DEATH, LIFE_THREATENING) or + 15 days (other serious); null for NON_SERIOUS',
  })
  reportDueAt!: Date | null;

  @ApiProperty({ example: false, description: 'Past reportDueAt and not reported' })
  overdue!: boolean;

  @UuidProperty()
  recordedBy!: string;

  @DateTimeProperty()
  recordedAt!: Date;

  @NullableObjectProperty(AdverseEventReportDto, 'The signed report; null until filed')
  report!: AdverseEventReportDto | null;

  @NullableObjectProperty(AdverseEventClosureDto, "QA's signed conclusion; null until closed")
  closure!: AdverseEventClosureDto | null;
}

export class AdverseEventPageDto {
  @ApiProperty({ type: [AdverseEventViewDto] })
  items!: AdverseEventViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class ReportResultDto {
  @ApiProperty({ enum: [AdverseEventStatus.REPORTED], example: AdverseEventStatus.REPORTED })
  status!: AdverseEventStatus.REPORTED;

  @ApiProperty({ example: false, description: 'Filed after reportDueAt' })
  late!: boolean;

  @ApiProperty({ type: AdverseEventViewDto })
  event!: AdverseEventViewDto;
}

export class CloseResultDto {
  @ApiProperty({ enum: [AdverseEventStatus.CLOSED], example: AdverseEventStatus.CLOSED })
  status!: AdverseEventStatus.CLOSED;

  @ApiProperty({ type: [String], description: 'Vials whose infection hold this closure released' })
  vialsReleased!: string[];

  @ApiProperty({ type: AdverseEventViewDto })
  event!: AdverseEventViewDto;
}

function signatureView(signature: VigilanceSignature): VigilanceSignatureDto {
  return { ...signature, signedAt: new Date(signature.signedAt) };
}

export function adverseEventView(row: AdverseEventEntity, now: Date): AdverseEventViewDto {
  return {
    id: row.id,
    status: row.status,
    donorId: row.donorId,
    clinicId: row.clinicId,
    doseId: row.doseId,
    batchId: row.batchId,
    onsetAt: row.onsetAt,
    knownAt: row.knownAt,
    description: row.description,
    seriousness: row.seriousness,
    suspectedInfection: row.suspectedInfection,
    reportDueAt: row.reportDueAt,
    overdue: row.reportedAt === null && isOverdue(row.reportDueAt, now),
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
    report:
      row.reportedAt === null || row.reportSignature === null
        ? null
        : {
            reportedAt: row.reportedAt,
            reference: row.reportReference as string,
            late: row.reportLate === true,
            signature: signatureView(row.reportSignature),
          },
    closure:
      row.closeSignature === null
        ? null
        : {
            causality: row.causality as Causality,
            conclusion: row.conclusion as string,
            signature: signatureView(row.closeSignature),
          },
  };
}
