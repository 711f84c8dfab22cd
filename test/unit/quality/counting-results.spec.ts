import { countingResults, qcSummary, QcResultRecord } from '../../../src/quality/domain/qc-evaluation';
import { ALL_QC_TESTS, QcOutcome, QcTest } from '../../../src/quality/domain/specification';

const { PASS, FAIL, PENDING } = QcOutcome;

/** Results in the order they were recorded; `corrects` names an earlier result by its id. */
function recorded(
  ...entries: [id: string, test: QcTest, outcome: QcOutcome, corrects?: string][]
): QcResultRecord[] {
  return entries.map(([id, test, outcome, corrects], order) => ({
    id,
    test,
    outcome,
    correctsId: corrects ?? null,
    order,
  }));
}

/** Every test passed once, except those given. */
function allPassingExcept(...tests: QcTest[]): QcResultRecord[] {
  return recorded(
    ...ALL_QC_TESTS.filter((test) => !tests.includes(test)).map((test): [string, QcTest, QcOutcome] => [
      `pass-${test}`,
      test,
      PASS,
    ]),
  );
}

const countingIdOf = (results: QcResultRecord[], test: QcTest): string | undefined =>
  countingResults(results).get(test)?.id;

describe('countingResults', () => {
  it('lets a final NEGATIVE supersede a PENDING sterility', () => {
    const results = recorded(['a', QcTest.STERILITY, PENDING], ['b', QcTest.STERILITY, PASS]);
    expect(countingIdOf(results, QcTest.STERILITY)).toBe('b');
  });

  it('lets a later FAIL supersede a PASS', () => {
    const results = recorded(['a', QcTest.ENDOTOXIN, PASS], ['b', QcTest.ENDOTOXIN, FAIL]);
    expect(countingIdOf(results, QcTest.ENDOTOXIN)).toBe('b');
  });

  it('keeps a FAIL counting after a later PASS (no testing into compliance)', () => {
    const results = recorded(['a', QcTest.ENDOTOXIN, FAIL], ['b', QcTest.ENDOTOXIN, PASS]);
    expect(countingIdOf(results, QcTest.ENDOTOXIN)).toBe('a');
  });

  it('counts the latest of several uncorrected FAILs', () => {
    const results = recorded(
      ['a', QcTest.VIABILITY, FAIL],
      ['b', QcTest.VIABILITY, FAIL],
      ['c', QcTest.VIABILITY, PASS],
    );
    expect(countingIdOf(results, QcTest.VIABILITY)).toBe('b');
  });

  it('lets a correction of the FAIL (a QA investigation) count instead', () => {
    const results = recorded(['a', QcTest.ENDOTOXIN, FAIL], ['b', QcTest.ENDOTOXIN, PASS, 'a']);
    expect(countingIdOf(results, QcTest.ENDOTOXIN)).toBe('b');
  });

  it('keeps another, uncorrected FAIL counting when only one FAIL was corrected', () => {
    const results = recorded(
      ['a', QcTest.ENDOTOXIN, FAIL],
      ['b', QcTest.ENDOTOXIN, FAIL],
      ['c', QcTest.ENDOTOXIN, PASS, 'a'],
    );
    expect(countingIdOf(results, QcTest.ENDOTOXIN)).toBe('b');
  });

  it('lets a correcting FAIL count over the PASS it corrects', () => {
    const results = recorded(['a', QcTest.MYCOPLASMA, PASS], ['b', QcTest.MYCOPLASMA, FAIL, 'a']);
    expect(countingIdOf(results, QcTest.MYCOPLASMA)).toBe('b');
  });

  it('orders by when results were recorded, not by their position in the list', () => {
    const [first, second] = recorded(['a', QcTest.VIABILITY, PASS], ['b', QcTest.VIABILITY, PASS]);
    expect(countingIdOf([second, first], QcTest.VIABILITY)).toBe('b');
  });

  it('keeps each test to itself', () => {
    const counting = countingResults(recorded(['a', QcTest.ENDOTOXIN, FAIL], ['b', QcTest.VIABILITY, PASS]));
    expect([...counting.keys()].sort()).toEqual([QcTest.ENDOTOXIN, QcTest.VIABILITY]);
    expect(counting.get(QcTest.VIABILITY)?.outcome).toBe(PASS);
  });

  it('returns the caller’s own records', () => {
    const results = [
      { id: 'a', test: QcTest.STERILITY, outcome: PASS, correctsId: null, order: 1, testedBy: 'u1' },
    ];
    expect(countingResults(results).get(QcTest.STERILITY)?.testedBy).toBe('u1');
  });
});

describe('qcSummary', () => {
  it('is complete and passed when every test passed', () => {
    expect(qcSummary(allPassingExcept())).toEqual({ complete: true, passed: true });
  });

  it('is complete with sterility still pending (the 14-day culture may run past release)', () => {
    const results = [...allPassingExcept(QcTest.STERILITY), ...recorded(['s', QcTest.STERILITY, PENDING])];
    expect(qcSummary(results)).toEqual({ complete: true, passed: true });
  });

  it('is not complete when any other test is pending', () => {
    const results = [...allPassingExcept(QcTest.MYCOPLASMA), ...recorded(['m', QcTest.MYCOPLASMA, PENDING])];
    expect(qcSummary(results).complete).toBe(false);
  });

  it('is not complete while a test has no result', () => {
    expect(qcSummary(allPassingExcept(QcTest.IDENTITY_NEGATIVE))).toEqual({ complete: false, passed: true });
    expect(qcSummary([])).toEqual({ complete: false, passed: true });
  });

  it('has not passed while a counting result fails, even after a passing retest', () => {
    const results = [
      ...allPassingExcept(QcTest.ENDOTOXIN),
      ...recorded(['e1', QcTest.ENDOTOXIN, FAIL], ['e2', QcTest.ENDOTOXIN, PASS]),
    ];
    expect(qcSummary(results)).toEqual({ complete: true, passed: false });
  });

  it('passes again once QA corrects the failing result', () => {
    const results = [
      ...allPassingExcept(QcTest.ENDOTOXIN),
      ...recorded(['e1', QcTest.ENDOTOXIN, FAIL], ['e2', QcTest.ENDOTOXIN, PASS, 'e1']),
    ];
    expect(qcSummary(results)).toEqual({ complete: true, passed: true });
  });

  it('judges only the tests asked for', () => {
    const results = recorded(['v', QcTest.VIABILITY, PASS], ['e', QcTest.ENDOTOXIN, FAIL]);
    expect(qcSummary(results, [QcTest.VIABILITY])).toEqual({ complete: true, passed: true });
  });
});
