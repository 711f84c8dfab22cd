import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { ALL_QC_TESTS, NumericLimit, QcOutcome, QcTest, Specification } from './specification';

export type CategoricalResult = 'NEGATIVE' | 'POSITIVE' | 'PENDING';

/** What the laboratory reported: `result` for categorical tests, `value` (and its unit) for numeric ones. */
export interface QcMeasurement {
  result?: CategoricalResult;
  value?: number;
  /** '<': below the method's detection limit, sent as that limit (endotoxin `< 0.05`). */
  qualifier?: '<';
  /** When given, must be the specification's unit: a value is never judged against a limit in another unit. */
  unit?: string;
}

/** The limit as it was applied, stored with the result so a later spec change never re-judges it. */
export type AppliedLimit =
  | { kind: 'CATEGORICAL'; specVersion: string; pass: 'NEGATIVE'; allowPending: boolean }
  | { kind: 'NUMERIC'; specVersion: string; unit: string; operator: NumericLimit['operator']; limit: number };

export interface QcEvaluation {
  outcome: QcOutcome;
  appliedLimit: AppliedLimit;
}

/**
 * Judges one QC result against the specification. Throws 400 VALIDATION_FAILED (details.fields) when the
 * measurement does not fit the test: a value for a categorical test, a result for a numeric one, PENDING
 * where the spec requires a final result, or a unit other than the spec's.
 */
export function evaluateQcResult(
  spec: Specification,
  test: QcTest,
  input: QcMeasurement,
  ctx: { targetCellCount: number },
): QcEvaluation {
  const limit = spec.limits[test];
  if (limit.kind === 'CATEGORICAL') {
    const appliedLimit: AppliedLimit = { ...limit, specVersion: spec.version };
    const misplaced = givenFields(input, ['value', 'qualifier', 'unit']);
    if (misplaced.length > 0) {
      throw invalid(`${test} takes a result, not ${misplaced.join(', ')}`, misplaced);
    }
    if (input.result === undefined) {
      throw invalid(`${test} needs a result (NEGATIVE or POSITIVE)`, ['result']);
    }
    if (input.result === 'PENDING') {
      if (!limit.allowPending) {
        throw invalid(`${test} cannot be recorded as PENDING; record its final result`, ['result']);
      }
      return { outcome: QcOutcome.PENDING, appliedLimit };
    }
    return { outcome: input.result === limit.pass ? QcOutcome.PASS : QcOutcome.FAIL, appliedLimit };
  }

  const appliedLimit: AppliedLimit = {
    kind: 'NUMERIC',
    specVersion: spec.version,
    unit: limit.unit,
    operator: limit.operator,
    limit: limit.limit === 'TARGET_CELL_COUNT' ? ctx.targetCellCount : limit.limit,
  };
  if (input.result !== undefined) {
    throw invalid(`${test} takes a value, not a result`, ['result']);
  }
  const { value } = input;
  if (value === undefined || !Number.isFinite(value) || value < 0 || (limit.unit === '%' && value > 100)) {
    throw invalid(`${test} needs a value${limit.unit === '%' ? ' between 0 and 100' : ' of 0 or more'}`, [
      'value',
    ]);
  }
  if (input.unit !== undefined && input.unit.trim().toLowerCase() !== limit.unit.toLowerCase()) {
    throw invalid(`${test} is specified in ${limit.unit}, not ${input.unit}`, ['unit']);
  }
  const passes =
    input.qualifier === '<'
      ? belowDetectionLimitPasses(value, appliedLimit.operator, appliedLimit.limit)
      : meets(value, appliedLimit.operator, appliedLimit.limit);
  return { outcome: passes ? QcOutcome.PASS : QcOutcome.FAIL, appliedLimit };
}

function meets(value: number, operator: NumericLimit['operator'], limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>=':
      return value >= limit;
  }
}

/**
 * `< v` says only that the true value t lies below the detection limit v. A result passes only when every
 * such t passes, since a release must be shown to meet the spec, not merely be unrefuted:
 * - upper bounds: for `t < L`, t < v <= L gives t < L; for `t <= L`, t < v <= L gives t <= L. So both pass
 *   exactly when v <= L (a detection limit above L cannot show compliance and fails).
 * - lower bounds (`t >= L`): no t known only to be below v can be shown to reach L, so it fails.
 */
function belowDetectionLimitPasses(
  detectionLimit: number,
  operator: NumericLimit['operator'],
  limit: number,
): boolean {
  return operator !== '>=' && detectionLimit <= limit;
}

/** A QC result as the counting rule needs it; `order` is the order of recording (later is greater). */
export interface QcResultRecord {
  id: string;
  test: QcTest;
  outcome: QcOutcome;
  correctsId: string | null;
  order: number;
}

/**
 * The result that counts for each test (docs/domain.md, "Specifications"). A result that another corrects is superseded. Of the
 * rest, a FAIL is out of specification and keeps counting whatever passes after it (no testing into
 * compliance; only a QA correction naming it lifts it); otherwise the latest result counts.
 */
export function countingResults<T extends QcResultRecord>(results: readonly T[]): Map<QcTest, T> {
  const corrected = new Set(results.map((r) => r.correctsId).filter((id): id is string => id !== null));
  const latest = new Map<QcTest, T>();
  const latestFail = new Map<QcTest, T>();
  for (const result of results) {
    if (corrected.has(result.id)) {
      continue;
    }
    keepLater(latest, result);
    if (result.outcome === QcOutcome.FAIL) {
      keepLater(latestFail, result);
    }
  }
  return new Map([...latest].map(([test, result]) => [test, latestFail.get(test) ?? result]));
}

/**
 * Whether QC allows release: `complete` when every test has a counting result and only sterility's may be
 * PENDING (its 14-day culture may still run at release), `passed` when no counting result is a FAIL.
 */
export function qcSummary(
  results: readonly QcResultRecord[],
  tests: readonly QcTest[] = ALL_QC_TESTS,
): { complete: boolean; passed: boolean } {
  const counting = countingResults(results);
  const complete = tests.every((test) => {
    const outcome = counting.get(test)?.outcome;
    return outcome !== undefined && (outcome !== QcOutcome.PENDING || test === QcTest.STERILITY);
  });
  const passed = tests.every((test) => counting.get(test)?.outcome !== QcOutcome.FAIL);
  return { complete, passed };
}

function keepLater<T extends QcResultRecord>(byTest: Map<QcTest, T>, result: T): void {
  const current = byTest.get(result.test);
  if (!current || result.order >= current.order) {
    byTest.set(result.test, result);
  }
}

function givenFields(input: QcMeasurement, fields: (keyof QcMeasurement)[]): string[] {
  return fields.filter((field) => input[field] !== undefined);
}

function invalid(message: string, fields: string[]): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { fields });
}
