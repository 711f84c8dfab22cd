import {
  assertOriginAllows,
  BATCH_TRANSITIONS,
  BatchOrigin,
  BatchAction,
  BatchStatus,
  canTransition,
  isDecided,
  transition,
} from '../../../src/batches/domain/batch-state-machine';
import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';

const { RECEIVED, IN_CULTURE, CULTURE_COMPLETE, RELEASED, REJECTED, DISCARDED } = BatchStatus;

/** docs/domain.md, "States", written out independently of the table it checks: action -> from -> to. */
const EXPECTED: Record<BatchAction, Partial<Record<BatchStatus, BatchStatus>>> = {
  [BatchAction.ISOLATE]: { [RECEIVED]: IN_CULTURE },
  [BatchAction.RECORD_PASSAGE]: { [IN_CULTURE]: IN_CULTURE },
  [BatchAction.RECORD_COUNT]: { [IN_CULTURE]: IN_CULTURE },
  [BatchAction.FINAL_HARVEST]: { [IN_CULTURE]: CULTURE_COMPLETE },
  [BatchAction.RECORD_QC]: {
    [IN_CULTURE]: IN_CULTURE,
    [CULTURE_COMPLETE]: CULTURE_COMPLETE,
    [RELEASED]: RELEASED,
  },
  [BatchAction.OPEN_DEVIATION]: {
    [RECEIVED]: RECEIVED,
    [IN_CULTURE]: IN_CULTURE,
    [CULTURE_COMPLETE]: CULTURE_COMPLETE,
  },
  [BatchAction.RELEASE]: { [CULTURE_COMPLETE]: RELEASED },
  [BatchAction.REJECT]: { [CULTURE_COMPLETE]: REJECTED },
  [BatchAction.DISCARD]: { [RECEIVED]: DISCARDED, [IN_CULTURE]: DISCARDED, [CULTURE_COMPLETE]: DISCARDED },
  [BatchAction.CORRECT_ENTRY]: {
    [RECEIVED]: RECEIVED,
    [IN_CULTURE]: IN_CULTURE,
    [CULTURE_COMPLETE]: CULTURE_COMPLETE,
  },
  [BatchAction.FORMULATE_DOSE]: { [RELEASED]: RELEASED },
  [BatchAction.CRYOPRESERVE]: { [CULTURE_COMPLETE]: CULTURE_COMPLETE, [RELEASED]: RELEASED },
  [BatchAction.PLAN_INJECTION]: {
    [RECEIVED]: RECEIVED,
    [IN_CULTURE]: IN_CULTURE,
    [CULTURE_COMPLETE]: CULTURE_COMPLETE,
  },
  [BatchAction.ACCEPT_LEGACY]: { [CULTURE_COMPLETE]: RELEASED },
};

const ALL_STATUSES = Object.values(BatchStatus);
const ALL_ACTIONS = Object.values(BatchAction);
const everyPair = ALL_ACTIONS.flatMap((action) => ALL_STATUSES.map((status) => ({ action, status })));
const allowed = everyPair.filter(({ action, status }) => EXPECTED[action][status] !== undefined);
const refused = everyPair.filter(({ action, status }) => EXPECTED[action][status] === undefined);

function transitionError(status: BatchStatus, action: BatchAction): DomainError {
  try {
    transition(status, action);
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error(`${action} from ${status} was allowed`);
}

describe('batch state machine', () => {
  it('holds one row per action', () => {
    expect(BATCH_TRANSITIONS.map((row) => row.action).sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it.each(allowed)('allows $action from $status', ({ action, status }) => {
    expect(canTransition(status, action)).toBe(true);
    expect(transition(status, action)).toBe(EXPECTED[action][status]);
  });

  it.each(refused)('refuses $action from $status with INVALID_TRANSITION', ({ action, status }) => {
    expect(canTransition(status, action)).toBe(false);
    const error = transitionError(status, action);
    expect(error.code).toBe(ErrorCode.INVALID_TRANSITION);
    expect(error.details).toEqual({ status, action });
    expect(error.message).toContain(status);
  });

  it('follows the happy path from receipt to release', () => {
    let status = RECEIVED;
    for (const action of [
      BatchAction.ISOLATE,
      BatchAction.RECORD_PASSAGE,
      BatchAction.RECORD_COUNT,
      BatchAction.FINAL_HARVEST,
      BatchAction.RECORD_QC,
      BatchAction.RELEASE,
    ]) {
      status = transition(status, action);
    }
    expect(status).toBe(RELEASED);
  });

  it('lets QC results be recorded after release (the final sterility result, a QA correction)', () => {
    expect(transition(RELEASED, BatchAction.RECORD_QC)).toBe(RELEASED);
  });

  it('refuses to correct a passage once the batch is released (the signature covers it)', () => {
    expect(transitionError(RELEASED, BatchAction.CORRECT_ENTRY).message).toBe(
      'Cannot correct an entry of a batch in status RELEASED',
    );
  });

  it('refuses a second decision on a decided batch', () => {
    for (const decided of [RELEASED, REJECTED, DISCARDED]) {
      for (const decision of [BatchAction.RELEASE, BatchAction.REJECT, BatchAction.DISCARD]) {
        expect(canTransition(decided, decision)).toBe(false);
      }
    }
  });

  it.each([
    [RECEIVED, false],
    [IN_CULTURE, false],
    [CULTURE_COMPLETE, false],
    [RELEASED, true],
    [REJECTED, true],
    [DISCARDED, true],
  ])('says %s is decided: %s', (status, decided) => {
    expect(isDecided(status)).toBe(decided);
  });
});

describe('what a batch of each origin may do', () => {
  it('a LEGACY batch may only be accepted, discarded or get a deviation; a cultured one is never accepted', () => {
    const legacyAllowed = ALL_ACTIONS.filter((action) => {
      try {
        assertOriginAllows(BatchOrigin.LEGACY, action);
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(ErrorCode.INVALID_TRANSITION);
        return false;
      }
    });
    expect(legacyAllowed.sort()).toEqual(
      [BatchAction.ACCEPT_LEGACY, BatchAction.DISCARD, BatchAction.OPEN_DEVIATION].sort(),
    );
    expect(() => assertOriginAllows(BatchOrigin.CULTURED, BatchAction.ACCEPT_LEGACY)).toThrow(DomainError);
    for (const action of ALL_ACTIONS.filter((a) => a !== BatchAction.ACCEPT_LEGACY)) {
      expect(() => assertOriginAllows(BatchOrigin.CULTURED, action)).not.toThrow();
    }
  });
});
