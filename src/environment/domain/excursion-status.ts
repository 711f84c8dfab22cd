import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

/**
 * OPEN: the unit is still out of range at its latest reading; ENDED: a reading came back in range, and the
 * excursion waits for QA; DISPOSED: QA signed what it meant for the vials (docs/environment.md).
 */
export enum ExcursionStatus {
  OPEN = 'OPEN',
  ENDED = 'ENDED',
  DISPOSED = 'DISPOSED',
}

export enum ExcursionOutcome {
  /** The cells were not harmed: the holds are released and the vials may be drawn again. */
  NO_IMPACT = 'NO_IMPACT',
  /** The cells may be harmed: the vials still in the bank are discarded. */
  VIALS_COMPROMISED = 'VIALS_COMPROMISED',
}

/**
 * A disposition judges the whole excursion, so it waits until the unit is back in range (409 while OPEN:
 * vials moved in meanwhile would escape it), and it is signed once (409 ALREADY_DECIDED).
 */
export function assertDisposable(status: ExcursionStatus): void {
  if (status === ExcursionStatus.DISPOSED) {
    throw new DomainError(ErrorCode.ALREADY_DECIDED, 'This excursion has its disposition already');
  }
  if (status === ExcursionStatus.OPEN) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      'The unit is still out of range: the excursion is disposed once a reading is back within the limits',
    );
  }
}
