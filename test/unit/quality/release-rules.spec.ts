import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import { assertReleasable, freshExpiry, ReleaseFacts } from '../../../src/quality/domain/release-rules';

const HOUR = 3_600_000;
const finalHarvestAt = new Date('2026-11-22T00:00:00Z');

/** A batch that may be released: override one fact to break one rule. */
function facts(overrides: Partial<ReleaseFacts> = {}): ReleaseFacts {
  return {
    qc: { complete: true, passed: true },
    openDeviations: 0,
    signerRecordedOnBatch: false,
    finalHarvestAt,
    freshShelfLifeHours: 48,
    decidedAt: new Date(finalHarvestAt.getTime() + 24 * HOUR),
    ...overrides,
  };
}

function refusal(input: ReleaseFacts): ErrorCode {
  try {
    assertReleasable(input);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('released');
}

describe('release rules (docs/domain.md, rule 5)', () => {
  it('releases a batch meeting every rule, expiring 48 h after final harvest', () => {
    expect(assertReleasable(facts())).toEqual({ expiresAt: new Date('2026-11-24T00:00:00Z') });
  });

  it('refuses incomplete or failing QC (QC_NOT_PASSED)', () => {
    expect(refusal(facts({ qc: { complete: false, passed: true } }))).toBe(ErrorCode.QC_NOT_PASSED);
    expect(refusal(facts({ qc: { complete: true, passed: false } }))).toBe(ErrorCode.QC_NOT_PASSED);
  });

  it('refuses an open deviation (DEVIATION_OPEN)', () => {
    expect(refusal(facts({ openDeviations: 1 }))).toBe(ErrorCode.DEVIATION_OPEN);
  });

  it('refuses a signer who recorded on the batch (SAME_PERSON)', () => {
    expect(refusal(facts({ signerRecordedOnBatch: true }))).toBe(ErrorCode.SAME_PERSON);
  });

  it('refuses a release at or after the end of the shelf life (DOSE_EXPIRED)', () => {
    expect(refusal(facts({ decidedAt: new Date(finalHarvestAt.getTime() + 48 * HOUR) }))).toBe(
      ErrorCode.DOSE_EXPIRED,
    );
    expect(() =>
      assertReleasable(facts({ decidedAt: new Date(finalHarvestAt.getTime() + 48 * HOUR - 1) })),
    ).not.toThrow();
  });

  it('answers in a fixed order when several rules fail: QC, deviation, four eyes, shelf life', () => {
    const allBroken = facts({
      qc: { complete: false, passed: false },
      openDeviations: 2,
      signerRecordedOnBatch: true,
      decidedAt: new Date(finalHarvestAt.getTime() + 72 * HOUR),
    });
    expect(refusal(allBroken)).toBe(ErrorCode.QC_NOT_PASSED);
    expect(refusal({ ...allBroken, qc: { complete: true, passed: true } })).toBe(ErrorCode.DEVIATION_OPEN);
    expect(refusal({ ...allBroken, qc: { complete: true, passed: true }, openDeviations: 0 })).toBe(
      ErrorCode.SAME_PERSON,
    );
    expect(
      refusal({
        ...allBroken,
        qc: { complete: true, passed: true },
        openDeviations: 0,
        signerRecordedOnBatch: false,
      }),
    ).toBe(ErrorCode.DOSE_EXPIRED);
  });

  it('honours a configured shelf life', () => {
    expect(freshExpiry(finalHarvestAt, 36)).toEqual(new Date('2026-11-23T12:00:00Z'));
  });
});
