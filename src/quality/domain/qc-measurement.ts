import { DEFAULT_SPECIFICATION, QcTest } from './specification';

/**
 * The shape of a QC measurement per test, as the HTTP contract fixes it (docs/domain.md, "Specifications"): categorical tests
 * take `result`, numeric tests `value` (with an optional `<` qualifier and unit). Checked on input, before
 * anything is looked up; the batch's own specification then judges the measurement.
 */
export type CategoricalResult = 'NEGATIVE' | 'POSITIVE' | 'PENDING';

const CATEGORICAL_RESULTS: Partial<Record<QcTest, readonly CategoricalResult[]>> = Object.fromEntries(
  Object.entries(DEFAULT_SPECIFICATION.limits)
    .filter(([, limit]) => limit.kind === 'CATEGORICAL')
    .map(([test, limit]) => [
      test,
      limit.kind === 'CATEGORICAL' && limit.allowPending
        ? ['NEGATIVE', 'POSITIVE', 'PENDING']
        : ['NEGATIVE', 'POSITIVE'],
    ]),
);

/** Highest value a numeric test accepts: percentages stop at 100, a cell count at the 1e12 ceiling. */
const NUMERIC_CEILING = 1e12;

export function isCategoricalTest(test: QcTest): boolean {
  return CATEGORICAL_RESULTS[test] !== undefined;
}

export function resultsAllowedFor(test: QcTest): readonly CategoricalResult[] {
  return CATEGORICAL_RESULTS[test] ?? [];
}

/** Cells are counted whole (docs/http-api.md, "Conventions"): a CELL_COUNT value is an integer. */
export function takesWholeNumber(test: QcTest): boolean {
  const limit = DEFAULT_SPECIFICATION.limits[test];
  return limit.kind === 'NUMERIC' && limit.unit === 'cells';
}

export function valueCeilingFor(test: QcTest): number {
  const limit = DEFAULT_SPECIFICATION.limits[test];
  return limit.kind === 'NUMERIC' && limit.unit === '%' ? 100 : NUMERIC_CEILING;
}

/** A result of one of these tests that comes back POSITIVE on a released batch recalls its doses (rule 7). */
export const RECALLING_TESTS: ReadonlySet<QcTest> = new Set([QcTest.STERILITY, QcTest.MYCOPLASMA]);
