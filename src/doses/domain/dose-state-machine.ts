import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

export enum DoseStatus {
  FORMULATED = 'FORMULATED',
  DISPATCHED = 'DISPATCHED',
  RECEIVED = 'RECEIVED',
  REJECTED = 'REJECTED',
  ADMINISTERED = 'ADMINISTERED',
  DESTROYED = 'DESTROYED',
  RECALLED = 'RECALLED',
}

export enum DoseAction {
  DISPATCH = 'DISPATCH',
  RECEIVE = 'RECEIVE',
  /** Arrived damaged (not intact): refused at the clinic and never administered. */
  REJECT_AT_RECEIPT = 'REJECT_AT_RECEIPT',
  ADMINISTER = 'ADMINISTER',
  DESTROY = 'DESTROY',
  RECALL = 'RECALL',
}

export interface DoseTransition {
  readonly action: DoseAction;
  readonly from: readonly DoseStatus[];
  readonly to: DoseStatus;
}

const { FORMULATED, DISPATCHED, RECEIVED, REJECTED, ADMINISTERED, DESTROYED, RECALLED } = DoseStatus;

/** A dose still on its way to a patient: it may be given, and a positive sterility result recalls it. */
export const UNDELIVERED_DOSE_STATUSES: readonly DoseStatus[] = [FORMULATED, DISPATCHED, RECEIVED];

/**
 * Every step a dose (fresh or booster) may take, in one place (docs/domain.md, "States"). Anything not listed is
 * 409 INVALID_TRANSITION. A dose may be given straight from the CPC (FORMULATED) when the clinic sits next
 * door, so dispatch and receipt are not required before administration.
 */
export const DOSE_TRANSITIONS: readonly DoseTransition[] = [
  { action: DoseAction.DISPATCH, from: [FORMULATED], to: DISPATCHED },
  { action: DoseAction.RECEIVE, from: [DISPATCHED], to: RECEIVED },
  { action: DoseAction.REJECT_AT_RECEIPT, from: [DISPATCHED], to: REJECTED },
  { action: DoseAction.ADMINISTER, from: UNDELIVERED_DOSE_STATUSES, to: ADMINISTERED },
  // Expired, recalled, rejected or unused doses are destroyed; a dose given to a patient is not a stock item.
  { action: DoseAction.DESTROY, from: [FORMULATED, DISPATCHED, RECEIVED, REJECTED, RECALLED], to: DESTROYED },
  { action: DoseAction.RECALL, from: UNDELIVERED_DOSE_STATUSES, to: RECALLED },
];

const ACTION_PHRASE: Record<DoseAction, string> = {
  [DoseAction.DISPATCH]: 'dispatch',
  [DoseAction.RECEIVE]: 'receive',
  [DoseAction.REJECT_AT_RECEIPT]: 'reject at receipt',
  [DoseAction.ADMINISTER]: 'administer',
  [DoseAction.DESTROY]: 'destroy',
  [DoseAction.RECALL]: 'recall',
};

export function canTransitionDose(status: DoseStatus, action: DoseAction): boolean {
  return DOSE_TRANSITIONS.some((row) => row.action === action && row.from.includes(status));
}

/** The status after `action`, or 409 INVALID_TRANSITION when the table does not allow it. */
export function transitionDose(status: DoseStatus, action: DoseAction): DoseStatus {
  const row = DOSE_TRANSITIONS.find(
    (candidate) => candidate.action === action && candidate.from.includes(status),
  );
  if (!row) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `Cannot ${ACTION_PHRASE[action]} a dose in status ${status}`,
      {
        status,
        action,
      },
    );
  }
  return row.to;
}
