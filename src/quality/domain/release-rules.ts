import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

/** What the release rules look at, read under the batch's lock. */
export interface ReleaseFacts {
  qc: { complete: boolean; passed: boolean };
  openDeviations: number;
  /** The signer recorded a step, QC result or correction on the batch, or opened one of its deviations. */
  signerRecordedOnBatch: boolean;
  finalHarvestAt: Date;
  freshShelfLifeHours: number;
  /** When the decision is taken (the command's time). */
  decidedAt: Date;
}

const HOUR_MS = 3600 * 1000;

/** Fresh product shelf life (rule 7): the batch, and every fresh dose of it, expires this long after final harvest. */
export function freshExpiry(finalHarvestAt: Date, shelfLifeHours: number): Date {
  return new Date(finalHarvestAt.getTime() + shelfLifeHours * HOUR_MS);
}

/**
 * docs/domain.md, rule 5, checked in a fixed order so the same request always gets the same answer: first what the
 * product is (QC complete and passing), then the process around it (no open deviation), then who signs (four
 * eyes), then time (shelf life). Returns the batch's expiry.
 */
export function assertReleasable(facts: ReleaseFacts): { expiresAt: Date } {
  if (!facts.qc.complete || !facts.qc.passed) {
    throw new DomainError(
      ErrorCode.QC_NOT_PASSED,
      facts.qc.passed
        ? 'QC is not complete: every test needs a result'
        : 'A counting QC result is out of specification',
      { qc: facts.qc },
    );
  }
  if (facts.openDeviations > 0) {
    throw new DomainError(
      ErrorCode.DEVIATION_OPEN,
      'The batch has open deviations; close them before release',
      {
        openDeviations: facts.openDeviations,
      },
    );
  }
  if (facts.signerRecordedOnBatch) {
    throw new DomainError(
      ErrorCode.SAME_PERSON,
      'The signer recorded entries on this batch; release needs a second person (four eyes)',
    );
  }
  const expiresAt = freshExpiry(facts.finalHarvestAt, facts.freshShelfLifeHours);
  if (facts.decidedAt.getTime() >= expiresAt.getTime()) {
    throw new DomainError(ErrorCode.DOSE_EXPIRED, 'The fresh product expired before release', {
      expiresAt: expiresAt.toISOString(),
    });
  }
  return { expiresAt };
}
