/**
 * Release specifications as data. The limits applied to a result are copied onto it when it is recorded
 * (see qc-evaluation.ts), so changing a specification never re-judges history.
 */

export enum QcTest {
  STERILITY = 'STERILITY',
  MYCOPLASMA = 'MYCOPLASMA',
  ENDOTOXIN = 'ENDOTOXIN',
  VIABILITY = 'VIABILITY',
  CELL_COUNT = 'CELL_COUNT',
  IDENTITY_POSITIVE = 'IDENTITY_POSITIVE',
  IDENTITY_NEGATIVE = 'IDENTITY_NEGATIVE',
}

export enum QcOutcome {
  PASS = 'PASS',
  FAIL = 'FAIL',
  PENDING = 'PENDING',
}

export const ALL_QC_TESTS: readonly QcTest[] = Object.values(QcTest);

/** A test read as NEGATIVE / POSITIVE (PENDING while the culture still runs, where allowed). */
export interface CategoricalLimit {
  readonly kind: 'CATEGORICAL';
  readonly pass: 'NEGATIVE';
  readonly allowPending: boolean;
}

/** A measured value passes when `value <operator> limit`. */
export interface NumericLimit {
  readonly kind: 'NUMERIC';
  readonly unit: string;
  readonly operator: '<' | '<=' | '>=';
  /** TARGET_CELL_COUNT stands for the batch's own targetCellCount, resolved when a result is judged. */
  readonly limit: number | 'TARGET_CELL_COUNT';
}

export type SpecLimit = CategoricalLimit | NumericLimit;

export interface Specification {
  readonly version: string;
  readonly maxPassage: number;
  readonly limits: Readonly<Record<QcTest, SpecLimit>>;
}

/** docs/domain.md, "Specifications": the defaults for cultured adipose-derived stem cells. */
export const DEFAULT_SPECIFICATION: Specification = {
  version: 'ADSC-2026.1',
  // Each passage ages the cells (senescence, karyotype drift), so culture stops at P5.
  maxPassage: 5,
  limits: {
    // The compendial sterility culture takes 14 days, so a fresh product is released on the in-process
    // tests and the final sterility result follows after release (a positive one recalls the doses).
    [QcTest.STERILITY]: { kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: true },
    [QcTest.MYCOPLASMA]: { kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: false },
    [QcTest.ENDOTOXIN]: { kind: 'NUMERIC', unit: 'EU/mL', operator: '<', limit: 0.5 },
    [QcTest.VIABILITY]: { kind: 'NUMERIC', unit: '%', operator: '>=', limit: 70 },
    // Viable cells, so that the dose holds what the clinic ordered.
    [QcTest.CELL_COUNT]: { kind: 'NUMERIC', unit: 'cells', operator: '>=', limit: 'TARGET_CELL_COUNT' },
    // IFATS/ISCT 2013 for adipose stromal cells: the lowest of CD73, CD90, CD44, and the highest of
    // CD45, CD31, CD235a (CD34 varies in adipose cells and is not a criterion).
    [QcTest.IDENTITY_POSITIVE]: { kind: 'NUMERIC', unit: '%', operator: '>=', limit: 80 },
    [QcTest.IDENTITY_NEGATIVE]: { kind: 'NUMERIC', unit: '%', operator: '<=', limit: 2 },
  },
};
