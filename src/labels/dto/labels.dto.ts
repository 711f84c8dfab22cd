import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { EnumField, IntegerField, TextField, UuidField } from '../../common/validation/fields';
import {
  DateTimeProperty,
  IntegerProperty,
  NullableObjectProperty,
  UuidProperty,
} from '../../common/http/view-properties';
import { MISMATCH_REASONS, MismatchReason } from '../domain/scan-verdict';
import { SUBJECT_TYPES, SubjectType } from '../domain/subject-type';

export class PutProductCodeDto {
  @TextField({
    max: 5,
    example: 'S1234',
    description: 'ISBT 128 product description code: a letter, 4 digits',
  })
  @Matches(/^[A-Z][0-9]{4}$/, { message: 'code must be one capital letter and four digits' })
  code!: string;

  @TextField({ max: 1, example: 'A', description: 'ISBT 128 type of donation: one character (0-9, A-Z)' })
  @Matches(/^[0-9A-Z]$/, { message: 'typeOfDonation must be one character 0-9 or A-Z' })
  typeOfDonation!: string;

  @TextField({ max: 200, notBlank: true, example: 'Adipose-derived MSC, fresh, for injection' })
  description!: string;
}

export class ProductCodeViewDto {
  @ApiProperty({ enum: ['FRESH_DOSE', 'BOOSTER_DOSE', 'CRYOPRESERVED'], example: 'FRESH_DOSE' })
  form!: string;

  @ApiProperty({ example: 'S1234' })
  code!: string;

  @ApiProperty({ example: 'A' })
  typeOfDonation!: string;

  @ApiProperty({ example: 'Adipose-derived MSC, fresh, for injection' })
  description!: string;

  @UuidProperty()
  updatedBy!: string;

  @DateTimeProperty()
  updatedAt!: Date;
}

export class CreateLabelRunDto {
  @EnumField(SUBJECT_TYPES, { example: 'DOSE' })
  subjectType!: SubjectType;

  @UuidField({ example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  subjectId!: string;

  @IntegerField({ min: 1, max: 10, optional: true, example: 1, description: 'Labels to print (default 1)' })
  copies?: number;

  @TextField({
    max: 2000,
    notBlank: true,
    optional: true,
    example: 'Label smudged by condensation',
    description: 'Required for a reprint (any run after the first for the item)',
  })
  reason?: string;
}

export class VoidLabelRunDto {
  @TextField({ max: 2000, notBlank: true, example: 'Printed for the wrong vial; labels destroyed' })
  reason!: string;
}

export class ListLabelRunsQuery {
  @UuidField({ example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a', description: 'The labelled item' })
  subjectId!: string;
}

export class LabelRunViewDto {
  @UuidProperty()
  id!: string;

  @ApiProperty({ enum: SUBJECT_TYPES, example: 'DOSE' })
  subjectType!: SubjectType;

  @UuidProperty()
  subjectId!: string;

  @IntegerProperty({ example: 1 })
  copies!: number;

  @ApiProperty({ example: false, description: 'Every run after the first for the item is a reprint' })
  reprint!: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({
    type: [String],
    example: ['L000000012'],
    description: 'One serial per label, in page order',
  })
  serials!: string[];

  @DateTimeProperty()
  printedAt!: Date;

  @UuidProperty()
  printedBy!: string;
}

export class LabelRunListItemDto extends LabelRunViewDto {
  @ApiProperty({ example: false, description: 'Voided by QA: its serials no longer verify' })
  voided!: boolean;
}

export class VerifyScanDto {
  @TextField({
    max: 500,
    notBlank: true,
    example: 'X999926000042-D01',
    description:
      'What the scanner read (either symbol) or what was typed (DIN, with or without check, label text)',
  })
  scan!: string;

  @EnumField(SUBJECT_TYPES, { example: 'DOSE' })
  subjectType!: SubjectType;

  @UuidField({ example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  subjectId!: string;
}

export class IdentifiedDto {
  @ApiProperty({ enum: SUBJECT_TYPES, example: 'DOSE' })
  subjectType!: SubjectType;

  @UuidProperty()
  subjectId!: string;

  @ApiPropertyOptional({
    example: 'L000000012',
    description: "The label's serial, when the scan carried one",
  })
  serial?: string;
}

export class ScanResultDto {
  @ApiProperty({ example: true })
  match!: boolean;

  @NullableObjectProperty(IdentifiedDto, 'The item the scan names, when it names one this facility labelled')
  identified!: IdentifiedDto | null;

  @ApiPropertyOptional({
    enum: MISMATCH_REASONS,
    example: 'OTHER_ITEM',
    description: 'Why it does not match',
  })
  reason?: MismatchReason;
}
