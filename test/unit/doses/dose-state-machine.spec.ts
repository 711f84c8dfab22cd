import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import {
  canTransitionDose,
  DoseAction,
  DoseStatus,
  transitionDose,
  UNDELIVERED_DOSE_STATUSES,
} from '../../../src/doses/domain/dose-state-machine';

const ALL_STATUSES = Object.values(DoseStatus);

function refusal(status: DoseStatus, action: DoseAction): DomainError {
  try {
    transitionDose(status, action);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${action} from ${status} was allowed`);
}

describe('dose state machine', () => {
  it('walks the ordinary path: formulated, dispatched, received, administered', () => {
    expect(transitionDose(DoseStatus.FORMULATED, DoseAction.DISPATCH)).toBe(DoseStatus.DISPATCHED);
    expect(transitionDose(DoseStatus.DISPATCHED, DoseAction.RECEIVE)).toBe(DoseStatus.RECEIVED);
    expect(transitionDose(DoseStatus.RECEIVED, DoseAction.ADMINISTER)).toBe(DoseStatus.ADMINISTERED);
  });

  it.each(UNDELIVERED_DOSE_STATUSES)('administers a %s dose', (status) => {
    expect(transitionDose(status, DoseAction.ADMINISTER)).toBe(DoseStatus.ADMINISTERED);
  });

  it.each([DoseStatus.RECALLED, DoseStatus.REJECTED, DoseStatus.DESTROYED, DoseStatus.ADMINISTERED])(
    'never administers a %s dose (INVALID_TRANSITION)',
    (status) => {
      const error = refusal(status, DoseAction.ADMINISTER);
      expect(error.code).toBe(ErrorCode.INVALID_TRANSITION);
      expect(error.details).toEqual({ status, action: DoseAction.ADMINISTER });
    },
  );

  it('rejects at receipt only a dispatched dose', () => {
    expect(transitionDose(DoseStatus.DISPATCHED, DoseAction.REJECT_AT_RECEIPT)).toBe(DoseStatus.REJECTED);
    for (const status of ALL_STATUSES.filter((s) => s !== DoseStatus.DISPATCHED)) {
      expect(canTransitionDose(status, DoseAction.REJECT_AT_RECEIPT)).toBe(false);
      expect(canTransitionDose(status, DoseAction.RECEIVE)).toBe(false);
    }
  });

  it('dispatches only a formulated dose, once', () => {
    expect(ALL_STATUSES.filter((s) => canTransitionDose(s, DoseAction.DISPATCH))).toEqual([
      DoseStatus.FORMULATED,
    ]);
  });

  it('recalls exactly the doses not yet given, and leaves an administered dose alone', () => {
    expect(ALL_STATUSES.filter((s) => canTransitionDose(s, DoseAction.RECALL))).toEqual([
      DoseStatus.FORMULATED,
      DoseStatus.DISPATCHED,
      DoseStatus.RECEIVED,
    ]);
    expect(refusal(DoseStatus.ADMINISTERED, DoseAction.RECALL).code).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('destroys any dose not administered, but not an administered or destroyed one', () => {
    const destroyable = ALL_STATUSES.filter((s) => canTransitionDose(s, DoseAction.DESTROY));
    expect(destroyable.sort()).toEqual(
      [
        DoseStatus.FORMULATED,
        DoseStatus.DISPATCHED,
        DoseStatus.RECEIVED,
        DoseStatus.REJECTED,
        DoseStatus.RECALLED,
      ].sort(),
    );
    expect(refusal(DoseStatus.ADMINISTERED, DoseAction.DESTROY).message).toBe(
      'Cannot destroy a dose in status ADMINISTERED',
    );
  });

  it('has no way out of ADMINISTERED or DESTROYED', () => {
    for (const action of Object.values(DoseAction)) {
      expect(canTransitionDose(DoseStatus.ADMINISTERED, action)).toBe(false);
      expect(canTransitionDose(DoseStatus.DESTROYED, action)).toBe(false);
    }
  });
});
