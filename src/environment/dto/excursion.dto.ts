import { ApiProperty } from '@nestjs/swagger';
import {
  DateTimeProperty,
  IntegerProperty,
  NullableObjectProperty,
  UuidProperty,
} from '../../common/http/view-properties';
import { PageQuery } from '../../common/pagination/pagination';
import { EnumField, TextField, SignerPasswordField } from '../../common/validation/fields';
import { ExcursionOutcome, ExcursionStatus } from '../domain/excursion-status';
import { ExcursionEntity } from '../excursion.entity';

export class ExcursionLimitsDto {
  @ApiProperty({ type: 'number', nullable: true, example: null })
  minC!: number | null;

  @ApiProperty({ example: -150 })
  maxC!: number;

  @IntegerProperty({ example: 10 })
  excursionMinutes!: number;
}

export class ExcursionSummaryDto {
  @UuidProperty()
  id!: string;

  @UuidProperty()
  unitId!: string;

  @ApiProperty({ enum: ExcursionStatus, enumName: 'ExcursionStatus', example: ExcursionStatus.ENDED })
  status!: ExcursionStatus;

  @DateTimeProperty({ description: 'The first reading out of range' })
  startedAt!: Date;

  @DateTimeProperty({ description: 'The latest reading out of range' })
  lastOutAt!: Date;

  @DateTimeProperty({ nullable: true, description: 'The first reading back in range; null while OPEN' })
  endedAt!: Date | null;

  @ApiProperty({ example: -140.5, description: 'Lowest reading of the run' })
  minC!: number;

  @ApiProperty({ example: -121, description: 'Highest reading of the run' })
  maxC!: number;

  @IntegerProperty({ example: 14, description: 'Readings out of range' })
  readings!: number;

  @ApiProperty({ type: ExcursionLimitsDto, description: 'The limits it was judged against' })
  limits!: ExcursionLimitsDto;

  @DateTimeProperty()
  detectedAt!: Date;
}

export class ExcursionVialDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ example: 'X999926000042-V003' })
  label!: string;

  @ApiProperty({ enum: ['STORED', 'RESERVED', 'THAWED', 'DISCARDED'], example: 'STORED' })
  status!: string;

  @ApiProperty({ example: true, description: "On hold by this excursion (released with QA's disposition)" })
  held!: boolean;
}

export class DispositionDto {
  @ApiProperty({ enum: ExcursionOutcome, enumName: 'ExcursionOutcome' })
  outcome!: ExcursionOutcome;

  @ApiProperty({ example: 'Logger trace reviewed; vials stayed below -150 C in the vapour phase' })
  comment!: string;

  @UuidProperty()
  signerId!: string;

  @ApiProperty({ example: 'Aiko Tanaka' })
  signerName!: string;

  @ApiProperty({ example: 'Disposition of temperature excursion: NO_IMPACT' })
  meaning!: string;

  @DateTimeProperty()
  signedAt!: Date;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  recordHash!: string;
}

export class ExcursionViewDto extends ExcursionSummaryDto {
  @ApiProperty({ example: 'LN2 Tank 3' })
  unitName!: string;

  @ApiProperty({
    type: [ExcursionVialDto],
    description: 'The vials that stood in the unit, or below it, during the excursion',
  })
  vials!: ExcursionVialDto[];

  @NullableObjectProperty(DispositionDto, "QA's signed disposition; null until then")
  disposition!: DispositionDto | null;
}

export class ExcursionPageDto {
  @ApiProperty({ type: [ExcursionSummaryDto] })
  items!: ExcursionSummaryDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class ListExcursionsQuery extends PageQuery {
  @EnumField(ExcursionStatus, { optional: true, enumName: 'ExcursionStatus' })
  status?: ExcursionStatus;
}

export class DisposeExcursionDto {
  @EnumField(ExcursionOutcome, {
    enumName: 'ExcursionOutcome',
    description: 'NO_IMPACT releases the holds; VIALS_COMPROMISED discards the vials still banked',
  })
  outcome!: ExcursionOutcome;

  @TextField({ max: 5000, notBlank: true, example: 'Logger trace reviewed with the vial map' })
  comment!: string;

  @SignerPasswordField()
  password!: string;
}

export function excursionSummary(row: ExcursionEntity): ExcursionSummaryDto {
  return {
    id: row.id,
    unitId: row.unitId,
    status: row.status,
    startedAt: row.startedAt,
    lastOutAt: row.lastOutAt,
    endedAt: row.endedAt,
    minC: row.minC,
    maxC: row.maxC,
    readings: row.readings,
    limits: { minC: row.limitMinC, maxC: row.limitMaxC, excursionMinutes: row.excursionMinutes },
    detectedAt: row.detectedAt,
  };
}

export function dispositionView(row: ExcursionEntity): DispositionDto | null {
  if (row.status !== ExcursionStatus.DISPOSED || !row.signature) return null;
  return {
    outcome: row.outcome as ExcursionOutcome,
    comment: row.comment as string,
    signerId: row.signature.signerId,
    signerName: row.signature.signerName,
    meaning: row.signature.meaning,
    signedAt: new Date(row.signature.signedAt),
    recordHash: row.signature.recordHash,
  };
}
