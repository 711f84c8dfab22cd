import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

export enum BatchStatus {
  RECEIVED = 'RECEIVED',
  IN_CULTURE = 'IN_CULTURE',
  CULTURE_COMPLETE = 'CULTURE_COMPLETE',
  RELEASED = 'RELEASED',
  REJECTED = 'REJECTED',
  DISCARDED = 'DISCARDED',
}

export enum BatchAction {
  ISOLATE = 'ISOLATE',
  RECORD_PASSAGE = 'RECORD_PASSAGE',
  RECORD_COUNT = 'RECORD_COUNT',
  FINAL_HARVEST = 'FINAL_HARVEST',
  RECORD_QC = 'RECORD_QC',
  OPEN_DEVIATION = 'OPEN_DEVIATION',
  RELEASE = 'RELEASE',
  REJECT = 'REJECT',
  DISCARD = 'DISCARD',
  CORRECT_ENTRY = 'CORRECT_ENTRY',
  FORMULATE_DOSE = 'FORMULATE_DOSE',
  CRYOPRESERVE = 'CRYOPRESERVE',
  PLAN_INJECTION = 'PLAN_INJECTION',
  /** QA accepts a legacy batch's paper record: its banked vials may be drawn from then on. */
  ACCEPT_LEGACY = 'ACCEPT_LEGACY',
}

/** Where a batch comes from: cultured here, or a legacy bank's record imported with its vials. */
export enum BatchOrigin {
  CULTURED = 'CULTURED',
  LEGACY = 'LEGACY',
}

export interface BatchTransition {
  readonly action: BatchAction;
  readonly from: readonly BatchStatus[];
  /** The status after the action; null when the batch stays where it is. */
  readonly to: BatchStatus | null;
}

const { RECEIVED, IN_CULTURE, CULTURE_COMPLETE, RELEASED, REJECTED, DISCARDED } = BatchStatus;

/** A decision (release, reject, discard) is final: the batch is decided once (docs/domain.md, rule 6). */
const UNDECIDED = [RECEIVED, IN_CULTURE, CULTURE_COMPLETE] as const;

/**
 * Every step a batch may take, in one place (docs/domain.md, "States"). Anything not listed is 409
 * INVALID_TRANSITION.
 */
export const BATCH_TRANSITIONS: readonly BatchTransition[] = [
  { action: BatchAction.ISOLATE, from: [RECEIVED], to: IN_CULTURE },
  { action: BatchAction.RECORD_PASSAGE, from: [IN_CULTURE], to: null },
  { action: BatchAction.RECORD_COUNT, from: [IN_CULTURE], to: null },
  { action: BatchAction.FINAL_HARVEST, from: [IN_CULTURE], to: CULTURE_COMPLETE },
  // Sterility takes 14 days and may still be pending at release; its final result (and any QA correction
  // of a failing result) is recorded after release, where a failure raises a recall.
  { action: BatchAction.RECORD_QC, from: [IN_CULTURE, CULTURE_COMPLETE, RELEASED], to: null },
  { action: BatchAction.OPEN_DEVIATION, from: UNDECIDED, to: null },
  { action: BatchAction.RELEASE, from: [CULTURE_COMPLETE], to: RELEASED },
  { action: BatchAction.REJECT, from: [CULTURE_COMPLETE], to: REJECTED },
  { action: BatchAction.DISCARD, from: UNDECIDED, to: DISCARDED },
  // Entries a signer relied on must not change under the signature (21 CFR 11.70).
  { action: BatchAction.CORRECT_ENTRY, from: UNDECIDED, to: null },
  { action: BatchAction.FORMULATE_DOSE, from: [RELEASED], to: null },
  // Surplus may be banked before the release decision; vials of an unreleased batch are not drawn for
  // boosters (that is the bank's rule, not a batch step).
  { action: BatchAction.CRYOPRESERVE, from: [CULTURE_COMPLETE, RELEASED], to: null },
  // The visit is booked on the culture's projection; once the batch is decided the plan is history.
  { action: BatchAction.PLAN_INJECTION, from: UNDECIDED, to: null },
  // A legacy batch waits in CULTURE_COMPLETE (its culture happened elsewhere, on paper) for QA's acceptance.
  { action: BatchAction.ACCEPT_LEGACY, from: [CULTURE_COMPLETE], to: RELEASED },
];

/**
 * A legacy batch has no culture record here, so none of the culture steps, QC, doses or freezings apply to it:
 * QA accepts it (or it is discarded, or a deviation opened on it). A cultured batch is never "accepted".
 */
const LEGACY_ACTIONS: ReadonlySet<BatchAction> = new Set([
  BatchAction.ACCEPT_LEGACY,
  BatchAction.DISCARD,
  BatchAction.OPEN_DEVIATION,
]);

/** 409 INVALID_TRANSITION when the action does not apply to a batch of this origin. */
export function assertOriginAllows(origin: BatchOrigin, action: BatchAction): void {
  const allowed =
    origin === BatchOrigin.LEGACY ? LEGACY_ACTIONS.has(action) : action !== BatchAction.ACCEPT_LEGACY;
  if (!allowed) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `Cannot ${ACTION_PHRASE[action]} a ${origin === BatchOrigin.LEGACY ? 'legacy' : 'cultured'} batch`,
      { origin, action },
    );
  }
}

const DECIDED: ReadonlySet<BatchStatus> = new Set([RELEASED, REJECTED, DISCARDED]);

const ACTION_PHRASE: Record<BatchAction, string> = {
  [BatchAction.ISOLATE]: 'record the isolation of',
  [BatchAction.RECORD_PASSAGE]: 'record a passage of',
  [BatchAction.RECORD_COUNT]: 'record a cell count of',
  [BatchAction.FINAL_HARVEST]: 'record the final harvest of',
  [BatchAction.RECORD_QC]: 'record a QC result for',
  [BatchAction.OPEN_DEVIATION]: 'open a deviation on',
  [BatchAction.RELEASE]: 'release',
  [BatchAction.REJECT]: 'reject',
  [BatchAction.DISCARD]: 'discard',
  [BatchAction.CORRECT_ENTRY]: 'correct an entry of',
  [BatchAction.FORMULATE_DOSE]: 'formulate a dose from',
  [BatchAction.CRYOPRESERVE]: 'cryopreserve cells of',
  [BatchAction.PLAN_INJECTION]: 'plan the injection of',
  [BatchAction.ACCEPT_LEGACY]: 'accept the legacy record of',
};

function findTransition(status: BatchStatus, action: BatchAction): BatchTransition | undefined {
  return BATCH_TRANSITIONS.find((row) => row.action === action && row.from.includes(status));
}

export function canTransition(status: BatchStatus, action: BatchAction): boolean {
  return findTransition(status, action) !== undefined;
}

/** The status after `action`, or 409 INVALID_TRANSITION when the table does not allow it. */
export function transition(status: BatchStatus, action: BatchAction): BatchStatus {
  const row = findTransition(status, action);
  if (!row) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `Cannot ${ACTION_PHRASE[action]} a batch in status ${status}`,
      { status, action },
    );
  }
  return row.to ?? status;
}

/** Released, rejected or discarded: the batch's decision is taken and cannot be taken again. */
export function isDecided(status: BatchStatus): boolean {
  return DECIDED.has(status);
}
