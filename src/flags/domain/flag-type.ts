import { Role } from '../../common/transaction/actor';

/**
 * The flags (docs/domain.md, "Flags"): what raises each, what resolves it, and what its subject is. The jobs
 * raise and resolve them; users read and acknowledge them.
 */
export enum FlagType {
  READY_FOR_RELEASE = 'READY_FOR_RELEASE',
  READY_FOR_INJECTION = 'READY_FOR_INJECTION',
  POST_RELEASE_QC_FAILURE = 'POST_RELEASE_QC_FAILURE',
  STORAGE_REVIEW_DUE = 'STORAGE_REVIEW_DUE',
  DOSE_EXPIRING = 'DOSE_EXPIRING',
  STORAGE_MISMATCH = 'STORAGE_MISMATCH',
  ADVERSE_EVENT_REPORT_DUE = 'ADVERSE_EVENT_REPORT_DUE',
  TEMPERATURE_EXCURSION = 'TEMPERATURE_EXCURSION',
  CALIBRATION_DUE = 'CALIBRATION_DUE',
  ENVIRONMENT_ACTION = 'ENVIRONMENT_ACTION',
  VISIT_AT_RISK = 'VISIT_AT_RISK',
  FOLLOW_UP_DUE = 'FOLLOW_UP_DUE',
  BOOSTER_CANDIDATE = 'BOOSTER_CANDIDATE',
}

/** OPEN and ACKNOWLEDGED both count as open: acknowledging says "seen", not "done". */
export enum FlagStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

export enum FlagResolution {
  /** The condition that raised it ended; the flag comes back only if the condition does. */
  CONDITION_ENDED = 'CONDITION_ENDED',
  /** A QA user took note of a post-release failure: never raised again for that QC result. */
  ACKNOWLEDGED_BY_QA = 'ACKNOWLEDGED_BY_QA',
}

export type FlagSubjectType =
  | 'batch'
  | 'dose'
  | 'qc_result'
  | 'storage_review'
  | 'vial'
  | 'adverse_event'
  | 'excursion'
  | 'equipment'
  | 'environmental_sample'
  | 'donor'
  | 'outcome';

export interface FlagPolicy {
  subjectType: FlagSubjectType;
  /** Resolved by the job when its condition no longer holds. */
  resolvesWhenConditionEnds: boolean;
  /** The roles whose acknowledgement resolves it (empty: acknowledging only says "seen"). */
  resolvedByAcknowledgementOf: readonly Role[];
  /** Facility flags (a tank, equipment, a cleanroom) belong to no clinic, so doctors never see them. */
  facilityWide: boolean;
  /** Raised at most once per subject, ever (the database holds it too: flags_post_release_failure_once). */
  raisedOncePerSubject: boolean;
}

export const FLAG_POLICIES: Readonly<Record<FlagType, FlagPolicy>> = {
  [FlagType.READY_FOR_RELEASE]: {
    subjectType: 'batch',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.READY_FOR_INJECTION]: {
    subjectType: 'batch',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  // A recall notice: patients who received a dose must be followed up whatever happens to the result later,
  // so only QA closes it, and it never reopens for the same result.
  [FlagType.POST_RELEASE_QC_FAILURE]: {
    subjectType: 'qc_result',
    resolvesWhenConditionEnds: false,
    resolvedByAcknowledgementOf: ['qa'],
    facilityWide: false,
    raisedOncePerSubject: true,
  },
  [FlagType.STORAGE_REVIEW_DUE]: {
    subjectType: 'storage_review',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.DOSE_EXPIRING]: {
    subjectType: 'dose',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.STORAGE_MISMATCH]: {
    subjectType: 'vial',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.ADVERSE_EVENT_REPORT_DUE]: {
    subjectType: 'adverse_event',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.TEMPERATURE_EXCURSION]: {
    subjectType: 'excursion',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: true,
    raisedOncePerSubject: true,
  },
  [FlagType.CALIBRATION_DUE]: {
    subjectType: 'equipment',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: true,
    raisedOncePerSubject: false,
  },
  // An action-limit result stays on record: QA closes the notice, and it never reopens for the same sample.
  [FlagType.ENVIRONMENT_ACTION]: {
    subjectType: 'environmental_sample',
    resolvesWhenConditionEnds: false,
    resolvedByAcknowledgementOf: ['qa'],
    facilityWide: true,
    raisedOncePerSubject: true,
  },
  [FlagType.VISIT_AT_RISK]: {
    subjectType: 'batch',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  [FlagType.FOLLOW_UP_DUE]: {
    subjectType: 'dose',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: [],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
  // A cue for the doctor: seen is done, and a booster request ends it too.
  [FlagType.BOOSTER_CANDIDATE]: {
    subjectType: 'donor',
    resolvesWhenConditionEnds: true,
    resolvedByAcknowledgementOf: ['doctor', 'qa', 'admin'],
    facilityWide: false,
    raisedOncePerSubject: false,
  },
};

/** A storage review is due when its date is within this many days, or past (docs/domain.md, "Flags"). */
export const STORAGE_REVIEW_DUE_WITHIN_DAYS = 30;
/** A dose not administered is flagged when it expires within this many hours (docs/domain.md, "Flags"). */
export const DOSE_EXPIRING_WITHIN_HOURS = 6;
