import { ApiProperty, getSchemaPath, OmitType } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CategoricalResult, isCategoricalTest } from '../domain/qc-measurement';
import { QcTest } from '../domain/specification';
import { RecordQcResultDto } from './record-qc-result.dto';

/*
 * The two shapes of a QC result's body, for the OpenAPI document only. The pipe validates one flat
 * `RecordQcResultDto` whose `FitsQcTest` rule ties the measurement to the test; a client reads here which
 * fields go with which test, as `oneOf` discriminated by `test`.
 */
const CATEGORICAL_TESTS = Object.values(QcTest).filter(isCategoricalTest);
const NUMERIC_TESTS = Object.values(QcTest).filter((test) => !isCategoricalTest(test));

export class CategoricalQcResultBodyDto extends OmitType(RecordQcResultDto, [
  'test',
  'result',
  'value',
  'qualifier',
  'unit',
] as const) {
  @ApiProperty({ enum: CATEGORICAL_TESTS, example: QcTest.STERILITY })
  test!: QcTest;

  @ApiProperty({
    enum: ['NEGATIVE', 'POSITIVE', 'PENDING'],
    example: 'NEGATIVE',
    description: 'PENDING for STERILITY only',
  })
  result!: CategoricalResult;
}

export class NumericQcResultBodyDto extends OmitType(RecordQcResultDto, [
  'test',
  'result',
  'value',
] as const) {
  @ApiProperty({ enum: NUMERIC_TESTS, example: QcTest.ENDOTOXIN })
  test!: QcTest;

  @ApiProperty({
    example: 0.05,
    minimum: 0,
    description:
      'EU/mL for ENDOTOXIN, % for VIABILITY and IDENTITY_*, viable cells (a whole number) for CELL_COUNT. ' +
      'IDENTITY_POSITIVE is the lowest % of CD73, CD90, CD44; IDENTITY_NEGATIVE the highest of CD45, CD31, CD235a.',
  })
  value!: number;
}

export const QC_RESULT_BODY_MODELS = [CategoricalQcResultBodyDto, NumericQcResultBodyDto];

export const QC_RESULT_BODY_SCHEMA: SchemaObject = {
  oneOf: QC_RESULT_BODY_MODELS.map((model) => ({ $ref: getSchemaPath(model) })),
  discriminator: {
    propertyName: 'test',
    mapping: Object.fromEntries<string>([
      ...CATEGORICAL_TESTS.map((test): [string, string] => [test, getSchemaPath(CategoricalQcResultBodyDto)]),
      ...NUMERIC_TESTS.map((test): [string, string] => [test, getSchemaPath(NumericQcResultBodyDto)]),
    ]),
  },
};
