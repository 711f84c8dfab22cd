import {
  alreadyCorrected,
  assertNotCorrected,
  correctionTarget,
} from '../../../src/common/corrections/correction';
import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import { getInScopeOrThrow } from '../../../src/common/scope/get-in-scope';
import { AuthUser } from '../../../src/common/transaction/auth-user';

const person = (role: AuthUser['role'], clinicId: string | null = null): AuthUser => ({
  id: 'u1',
  email: 'u@cpc.test',
  name: 'U',
  role,
  clinicId,
});

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('getInScopeOrThrow', () => {
  const record = { id: 'd1', clinicId: 'clinic-a' };

  it("answers the record to its clinic's doctor and to every non-doctor role", async () => {
    await expect(
      getInScopeOrThrow(person('doctor', 'clinic-a'), 'Dose', 'd1', Promise.resolve(record)),
    ).resolves.toBe(record);
    await expect(
      getInScopeOrThrow(person('technician'), 'Dose', 'd1', Promise.resolve(record)),
    ).resolves.toBe(record);
  });

  it("answers the same 404 for a missing record and for another clinic's (nothing is revealed)", async () => {
    expect(
      await codeOf(getInScopeOrThrow(person('doctor', 'clinic-b'), 'Dose', 'd1', Promise.resolve(record))),
    ).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(getInScopeOrThrow(person('qa'), 'Dose', 'd1', Promise.resolve(null)))).toBe(
      ErrorCode.NOT_FOUND,
    );
    // A facility-wide record (no clinic) is not a doctor's.
    expect(
      await codeOf(
        getInScopeOrThrow(person('doctor', 'clinic-a'), 'Flag', 'f1', Promise.resolve({ clinicId: null })),
      ),
    ).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('the correction opening', () => {
  const current = { id: 'p1', supersededBy: null };
  const corrected = { id: 'p2', supersededBy: 'p3' };

  it('looks nothing up when the command corrects nothing, and 404s an entry not of this record', async () => {
    const lookUp = jest.fn(async () => null);
    await expect(correctionTarget(undefined, 'passage', lookUp)).resolves.toBeNull();
    expect(lookUp).not.toHaveBeenCalled();
    expect(await codeOf(correctionTarget('p9', 'passage', lookUp))).toBe(ErrorCode.NOT_FOUND);
    await expect(correctionTarget('p1', 'passage', async () => current)).resolves.toBe(current);
  });

  it('refuses to correct an entry corrected already (409, naming the correction)', () => {
    expect(() => assertNotCorrected(current, 'passage')).not.toThrow();
    expect(() => assertNotCorrected(corrected, 'passage')).toThrow(
      expect.objectContaining({
        code: ErrorCode.INVALID_TRANSITION,
        details: { correctsId: 'p2', supersededBy: 'p3' },
      }),
    );
    expect(alreadyCorrected('QC result', 'q1').message).toBe(
      'This QC result was corrected already; correct the newest entry',
    );
  });
});
