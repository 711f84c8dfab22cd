import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import {
  EnumField,
  IntegerField,
  NumberField,
  PastTimestampField,
  UuidField,
} from '../../common/validation/fields';
import { OutcomeKind, OutcomeKnee } from '../outcome-assessment.entity';

const KNEES: readonly OutcomeKnee[] = ['LEFT', 'RIGHT'];
const KINDS: readonly OutcomeKind[] = ['BASELINE', 'FOLLOW_UP'];

export class RecordOutcomeDto {
  @UuidField({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @EnumField(KNEES, { example: 'LEFT' })
  knee!: OutcomeKnee;

  @PastTimestampField({ example: '2027-03-10T01:00:00Z' })
  assessedAt!: string;

  @IntegerField({
    min: 0,
    max: 100,
    example: 30,
    description: 'VAS pain in mm on a 100 mm line (0: no pain)',
  })
  vasPain!: number;

  @NumberField({
    min: 0,
    max: 100,
    decimals: 2,
    optional: true,
    example: 72.22,
    description: 'KOOS pain subscale, 0..100 (100: no pain)',
  })
  koosPain?: number;

  @UuidField({
    optional: true,
    example: '5d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a',
    description:
      "Without it, a baseline (before treatment); with it, a follow-up of that dose, which must be the donor's, " +
      'administered into this knee, and before assessedAt',
  })
  doseId?: string;
}

export class OutcomeViewDto {
  @UuidProperty({ example: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' })
  id!: string;

  @UuidProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({ enum: KNEES, example: 'LEFT' })
  knee!: OutcomeKnee;

  @ApiProperty({ enum: KINDS, example: 'FOLLOW_UP' })
  kind!: OutcomeKind;

  @DateTimeProperty({ example: '2027-03-10T01:00:00.000Z' })
  assessedAt!: Date;

  @IntegerProperty({ example: 30 })
  vasPain!: number;

  @ApiProperty({ type: Number, nullable: true, example: 72.22 })
  koosPain!: number | null;

  @UuidProperty({ nullable: true, example: '5d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a' })
  doseId!: string | null;

  @UuidProperty({
    nullable: true,
    example: '0f1e2d3c-4b5a-4968-8776-655443322110',
    description: "A follow-up's baseline: the knee's latest baseline before its dose was given",
  })
  baselineId!: string | null;

  @IntegerProperty({
    nullable: true,
    example: 3,
    description:
      'The follow-up month: nearest of 3, 6, 12, 24; beyond the 24-month window the months rounded',
  })
  monthsAfter!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 57.14,
    description: 'VAS fall against the baseline, %',
  })
  vasReductionPct!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 28.5, description: 'KOOS pain points gained' })
  koosPainImprovement!: number | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    example: true,
    description: 'OMERACT-OARSI: VAS down by >= 50 % and >= 20 mm; null for a baseline or without one',
  })
  responder!: boolean | null;

  @UuidProperty({ example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  recordedBy!: string;

  @DateTimeProperty({ example: '2027-03-10T01:05:00.000Z' })
  recordedAt!: Date;
}

export class KneeOutcomesDto {
  @ApiProperty({ enum: KNEES, example: 'LEFT' })
  knee!: OutcomeKnee;

  @ApiProperty({ type: [OutcomeViewDto], description: 'Baselines and follow-ups, oldest first' })
  assessments!: OutcomeViewDto[];
}

export class DonorOutcomesDto {
  @UuidProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' })
  donorId!: string;

  @ApiProperty({ type: [KneeOutcomesDto], description: 'Knees with any assessment, LEFT before RIGHT' })
  knees!: KneeOutcomesDto[];
}
