import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import { evaluateQcResult, QcMeasurement } from '../../../src/quality/domain/qc-evaluation';
import {
  ALL_QC_TESTS,
  DEFAULT_SPECIFICATION,
  QcOutcome,
  QcTest,
  Specification,
} from '../../../src/quality/domain/specification';

const TARGET = { targetCellCount: 100_000_000 };
const { PASS, FAIL, PENDING } = QcOutcome;

const outcomeOf = (test: QcTest, input: QcMeasurement): QcOutcome =>
  evaluateQcResult(DEFAULT_SPECIFICATION, test, input, TARGET).outcome;

function validationError(test: QcTest, input: QcMeasurement): DomainError {
  try {
    evaluateQcResult(DEFAULT_SPECIFICATION, test, input, TARGET);
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error(`${test} accepted ${JSON.stringify(input)}`);
}

describe('default specification', () => {
  it('has a limit for every QC test and stops culture at P5', () => {
    expect(Object.keys(DEFAULT_SPECIFICATION.limits).sort()).toEqual([...ALL_QC_TESTS].sort());
    expect(DEFAULT_SPECIFICATION.maxPassage).toBe(5);
    expect(DEFAULT_SPECIFICATION.version).toBe('ADSC-2026.1');
  });
});

describe('evaluateQcResult', () => {
  describe('sterility (negative; may be pending at release)', () => {
    it.each([
      ['NEGATIVE', PASS],
      ['POSITIVE', FAIL],
      ['PENDING', PENDING],
    ] as const)('judges %s as %s', (result, outcome) => {
      expect(outcomeOf(QcTest.STERILITY, { result })).toBe(outcome);
    });
  });

  describe('mycoplasma (negative)', () => {
    it.each([
      ['NEGATIVE', PASS],
      ['POSITIVE', FAIL],
    ] as const)('judges %s as %s', (result, outcome) => {
      expect(outcomeOf(QcTest.MYCOPLASMA, { result })).toBe(outcome);
    });

    it('refuses PENDING, naming the result field', () => {
      const error = validationError(QcTest.MYCOPLASMA, { result: 'PENDING' });
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual({ fields: ['result'] });
    });
  });

  describe('endotoxin (< 0.5 EU/mL)', () => {
    it.each([
      [0.49, PASS],
      [0, PASS],
      [0.5, FAIL],
      [0.51, FAIL],
    ])('judges %p EU/mL as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.ENDOTOXIN, { value })).toBe(outcome);
    });

    it.each([
      // The true value lies below the detection limit v; it surely meets "< 0.5" when v <= 0.5.
      [0.05, PASS],
      [0.5, PASS],
      // With v = 0.6 the true value could be 0.55: compliance is not shown.
      [0.6, FAIL],
    ])('judges "< %p" (below the detection limit) as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.ENDOTOXIN, { value, qualifier: '<' })).toBe(outcome);
    });

    it('accepts the unit written in another case, and refuses another unit', () => {
      expect(outcomeOf(QcTest.ENDOTOXIN, { value: 0.1, unit: 'eu/ml' })).toBe(PASS);
      const error = validationError(QcTest.ENDOTOXIN, { value: 0.1, unit: 'EU/kg' });
      expect(error.details).toEqual({ fields: ['unit'] });
    });
  });

  describe('viability (>= 70 %)', () => {
    it.each([
      [70, PASS],
      [100, PASS],
      [69.99, FAIL],
    ])('judges %p %% as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.VIABILITY, { value })).toBe(outcome);
    });

    it('fails a value below the detection limit: it cannot show that the minimum is reached', () => {
      expect(outcomeOf(QcTest.VIABILITY, { value: 90, qualifier: '<' })).toBe(FAIL);
    });
  });

  describe("cell count (>= the batch's targetCellCount viable cells)", () => {
    it.each([
      [100_000_000, PASS],
      [150_000_000, PASS],
      [99_999_999, FAIL],
    ])('judges %p cells against a target of 1e8 as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.CELL_COUNT, { value })).toBe(outcome);
    });

    it("copies the batch's own target onto the result as a number", () => {
      const { appliedLimit } = evaluateQcResult(
        DEFAULT_SPECIFICATION,
        QcTest.CELL_COUNT,
        { value: 60_000_000 },
        { targetCellCount: 50_000_000 },
      );
      expect(appliedLimit).toEqual({
        kind: 'NUMERIC',
        specVersion: 'ADSC-2026.1',
        unit: 'cells',
        operator: '>=',
        limit: 50_000_000,
      });
    });
  });

  describe('identity positive: lowest of CD73, CD90, CD44 (>= 80 %)', () => {
    it.each([
      [80, PASS],
      [97.5, PASS],
      [79.9, FAIL],
    ])('judges %p %% as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.IDENTITY_POSITIVE, { value })).toBe(outcome);
    });
  });

  describe('identity negative: highest of CD45, CD31, CD235a (<= 2 %)', () => {
    it.each([
      [2, PASS],
      [0.3, PASS],
      [2.01, FAIL],
    ])('judges %p %% as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.IDENTITY_NEGATIVE, { value })).toBe(outcome);
    });

    it.each([
      [0.5, PASS],
      // True value < 2, so <= 2 holds.
      [2, PASS],
      [3, FAIL],
    ])('judges "< %p" (below the detection limit) as %s', (value, outcome) => {
      expect(outcomeOf(QcTest.IDENTITY_NEGATIVE, { value, qualifier: '<' })).toBe(outcome);
    });
  });

  describe('what a measurement must look like', () => {
    it.each([
      [QcTest.STERILITY, { result: 'NEGATIVE', value: 0 }, ['value']],
      [QcTest.MYCOPLASMA, { result: 'NEGATIVE', qualifier: '<', unit: 'CFU' }, ['qualifier', 'unit']],
      [QcTest.STERILITY, {}, ['result']],
      [QcTest.ENDOTOXIN, { result: 'NEGATIVE', value: 0.1 }, ['result']],
      [QcTest.ENDOTOXIN, {}, ['value']],
      [QcTest.ENDOTOXIN, { value: -0.1 }, ['value']],
      [QcTest.ENDOTOXIN, { value: Number.NaN }, ['value']],
      [QcTest.VIABILITY, { value: 100.5 }, ['value']],
      [QcTest.IDENTITY_NEGATIVE, { value: 2, qualifier: '<', unit: 'EU/mL' }, ['unit']],
    ] as [QcTest, QcMeasurement, string[]][])('refuses %s given %j (fields %j)', (test, input, fields) => {
      const error = validationError(test, input);
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.details).toEqual({ fields });
    });
  });

  describe('specifications as data', () => {
    it('copies the applied limit with the spec version, so a later spec change never re-judges it', () => {
      const spec: Specification = {
        ...DEFAULT_SPECIFICATION,
        version: 'ADSC-2027.1',
        limits: {
          ...DEFAULT_SPECIFICATION.limits,
          [QcTest.ENDOTOXIN]: { kind: 'NUMERIC', unit: 'EU/mL', operator: '<=', limit: 1 },
        },
      };
      const judged = evaluateQcResult(spec, QcTest.ENDOTOXIN, { value: 1 }, TARGET);
      expect(judged.outcome).toBe(PASS);
      expect(judged.appliedLimit).toEqual({
        kind: 'NUMERIC',
        specVersion: 'ADSC-2027.1',
        unit: 'EU/mL',
        operator: '<=',
        limit: 1,
      });
      expect(judged.appliedLimit).not.toBe(spec.limits[QcTest.ENDOTOXIN]);
    });

    it('refuses a pending sterility under a spec that does not allow it', () => {
      const spec: Specification = {
        ...DEFAULT_SPECIFICATION,
        limits: {
          ...DEFAULT_SPECIFICATION.limits,
          [QcTest.STERILITY]: { kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: false },
        },
      };
      expect(() => evaluateQcResult(spec, QcTest.STERILITY, { result: 'PENDING' }, TARGET)).toThrow(
        DomainError,
      );
    });

    it('records the categorical limit it applied', () => {
      const { appliedLimit } = evaluateQcResult(
        DEFAULT_SPECIFICATION,
        QcTest.STERILITY,
        { result: 'PENDING' },
        TARGET,
      );
      expect(appliedLimit).toEqual({
        kind: 'CATEGORICAL',
        specVersion: 'ADSC-2026.1',
        pass: 'NEGATIVE',
        allowPending: true,
      });
    });
  });
});
