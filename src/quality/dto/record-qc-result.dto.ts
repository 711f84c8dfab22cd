import { UuidListField } from '../../common/validation/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, registerDecorator, ValidationArguments } from 'class-validator';
import { CorrectionFields } from '../../common/corrections/correction';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import {
  CategoricalResult,
  isCategoricalTest,
  resultsAllowedFor,
  takesWholeNumber,
  valueCeilingFor,
} from '../domain/qc-measurement';
import { QcTest } from '../domain/specification';

type MeasurementField = 'result' | 'value' | 'qualifier' | 'unit';

/**
 * Each measurement field checked against the test it belongs to (docs/domain.md, "Specifications"): categorical tests take
 * `result` only, numeric tests `value` (plus optional `qualifier` and `unit`) only. A wrong shape is 400
 * naming the field, before any record is looked up.
 */
function FitsQcTest(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'fitsQcTest',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => measurementProblem(args) === null,
        defaultMessage: (args: ValidationArguments) =>
          measurementProblem(args) ?? `${args.property} is invalid`,
      },
    });
  };
}

function measurementProblem(args: ValidationArguments): string | null {
  const dto = args.object as RecordQcResultDto;
  const field = args.property as MeasurementField;
  const given: unknown = dto[field];
  // An unknown test is reported on `test` itself; the measurement cannot be judged against it.
  if (!Object.values(QcTest).includes(dto.test)) return null;
  if (isCategoricalTest(dto.test)) {
    if (field !== 'result') return given === undefined ? null : `${dto.test} takes a result, not ${field}`;
    const allowed = resultsAllowedFor(dto.test);
    return allowed.includes(given as CategoricalResult)
      ? null
      : `result of ${dto.test} must be one of ${allowed.join(', ')}`;
  }
  switch (field) {
    case 'result':
      return given === undefined ? null : `${dto.test} takes a value, not a result`;
    case 'value': {
      const ceiling = valueCeilingFor(dto.test);
      const whole = takesWholeNumber(dto.test);
      return typeof given === 'number' &&
        Number.isFinite(given) &&
        given >= 0 &&
        given <= ceiling &&
        (!whole || Number.isInteger(given))
        ? null
        : `value of ${dto.test} must be ${whole ? 'a whole number' : 'a number'} from 0 to ${ceiling}`;
    }
    case 'qualifier':
      return given === undefined || given === '<'
        ? null
        : 'qualifier must be "<" (below the detection limit)';
    case 'unit':
      return given === undefined || (typeof given === 'string' && given.length >= 1 && given.length <= 20)
        ? null
        : 'unit must be 1 to 20 characters';
  }
}

export class RecordQcResultDto extends CorrectionFields {
  @ApiProperty({ enum: QcTest, example: QcTest.ENDOTOXIN })
  @IsEnum(QcTest)
  test!: QcTest;

  @ApiPropertyOptional({
    enum: ['NEGATIVE', 'POSITIVE', 'PENDING'],
    example: 'NEGATIVE',
    description: 'STERILITY (NEGATIVE, POSITIVE, PENDING) and MYCOPLASMA (NEGATIVE, POSITIVE) only',
  })
  @FitsQcTest()
  result?: CategoricalResult;

  @ApiPropertyOptional({
    example: 0.05,
    minimum: 0,
    description:
      'Numeric tests only: EU/mL for ENDOTOXIN, % for VIABILITY and IDENTITY_*, viable cells for CELL_COUNT. ' +
      'IDENTITY_POSITIVE is the lowest % of CD73, CD90, CD44; IDENTITY_NEGATIVE the highest of CD45, CD31, CD235a.',
  })
  @FitsQcTest()
  value?: number;

  @ApiPropertyOptional({
    enum: ['<'],
    example: '<',
    description: 'Below the detection limit: `value` is then that limit (endotoxin `< 0.05`)',
  })
  @FitsQcTest()
  qualifier?: '<';

  @ApiPropertyOptional({ example: 'EU/mL', description: "When given, must be the specification's unit" })
  @FitsQcTest()
  unit?: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-20T10:00:00+09:00',
    description: 'When the test was read; at most 5 minutes ahead',
  })
  @IsPastEventTime()
  testedAt!: string;

  @UuidListField({
    maxItems: 20,
    optional: true,
    example: ['3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'],
    description:
      'Equipment used (unknown 404; calibration overdue or failed at testedAt 422 EQUIPMENT_NOT_QUALIFIED)',
  })
  equipmentIds?: string[];
}
