/**
 * The flags of API.md ("Flags and jobs"): what raises each, what resolves it, and what its subject is. The jobs
 * raise and resolve them; users read and acknowledge them.
 */
export enum FlagType {
  READY_FOR_RELEASE = 'READY_FOR_RELEASE',
  READY_FOR_INJECTION = 'READY_FOR_INJECTION',
  POST_RELEASE_QC_FAILURE = 'POST_RELEASE_QC_FAILURE',
  STORAGE_REVIEW_DUE = 'STORAGE_REVIEW_DUE',
  DOSE_EXPIRING = 'DOSE_EXPIRING',
}

/** OPEN and ACKNOWLEDGED both count as open: acknowledging says "seen", not "done". */
export enum FlagStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

export const OPEN_FLAG_STATUSES: readonly FlagStatus[] = [FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED];

export enum FlagResolution {
  /** The condition that raised it ended; the flag comes back only if the condition does. */
  CONDITION_ENDED = 'CONDITION_ENDED',
  /** A QA user took note of a post-release failure: never raised again for that QC result. */
  ACKNOWLEDGED_BY_QA = 'ACKNOWLEDGED_BY_QA',
}

export type FlagSubjectType = 'batch' | 'dose' | 'qc_result' | 'storage_review';

export interface FlagPolicy {
  subjectType: FlagSubjectType;
  /** Resolved by the job when its condition no longer holds. */
  resolvesWhenConditionEnds: boolean;
  /** Resolved when a qa user acknowledges it. */
  resolvesOnQaAcknowledgement: boolean;
  /** Raised at most once per subject, ever (the database holds it too: flags_post_release_failure_once). */
  raisedOncePerSubject: boolean;
}

export const FLAG_POLICIES: Readonly<Record<FlagType, FlagPolicy>> = {
  [FlagType.READY_FOR_RELEASE]: {
    subjectType: 'batch',
    resolvesWhenConditionEnds: true,
    resolvesOnQaAcknowledgement: false,
    raisedOncePerSubject: false,
  },
  [FlagType.READY_FOR_INJECTION]: {
    subjectType: 'batch',
    resolvesWhenConditionEnds: true,
    resolvesOnQaAcknowledgement: false,
    raisedOncePerSubject: false,
  },
  // A recall notice: patients who received a dose must be followed up whatever happens to the result later,
  // so only QA closes it, and it never reopens for the same result.
  [FlagType.POST_RELEASE_QC_FAILURE]: {
    subjectType: 'qc_result',
    resolvesWhenConditionEnds: false,
    resolvesOnQaAcknowledgement: true,
    raisedOncePerSubject: true,
  },
  [FlagType.STORAGE_REVIEW_DUE]: {
    subjectType: 'storage_review',
    resolvesWhenConditionEnds: true,
    resolvesOnQaAcknowledgement: false,
    raisedOncePerSubject: false,
  },
  [FlagType.DOSE_EXPIRING]: {
    subjectType: 'dose',
    resolvesWhenConditionEnds: true,
    resolvesOnQaAcknowledgement: false,
    raisedOncePerSubject: false,
  },
};

/** A storage review is due when its date is within this many days, or past (API.md). */
export const STORAGE_REVIEW_DUE_WITHIN_DAYS = 30;
/** A dose not administered is flagged when it expires within this many hours (API.md). */
export const DOSE_EXPIRING_WITHIN_HOURS = 6;
