import { decideAcknowledgement, decideFlagChange } from '../../../src/flags/domain/flag-decision';
import { FlagStatus, FlagType } from '../../../src/flags/domain/flag-type';

const { READY_FOR_RELEASE, READY_FOR_INJECTION, POST_RELEASE_QC_FAILURE, STORAGE_REVIEW_DUE, DOSE_EXPIRING } =
  FlagType;
const CONDITION_TYPES = [READY_FOR_RELEASE, READY_FOR_INJECTION, STORAGE_REVIEW_DUE, DOSE_EXPIRING];

const holds = (details: Record<string, unknown> = { din: 'X999926000001' }) => ({ holds: true, details });
const ended = { holds: false, details: {} };

describe("decideFlagChange: what a job does with a subject's flag", () => {
  it.each(CONDITION_TYPES)('raises %s when its condition holds and no flag is open', (type) => {
    expect(decideFlagChange(type, holds(), null, false)).toBe('RAISE');
  });

  it.each(CONDITION_TYPES)('raises %s again when its condition came back after it was resolved', (type) => {
    expect(decideFlagChange(type, holds(), null, true)).toBe('RAISE');
  });

  it.each(CONDITION_TYPES)('resolves an open %s when its condition ended', (type) => {
    expect(decideFlagChange(type, ended, { details: {} }, true)).toBe('RESOLVE');
  });

  it('leaves an open flag alone while its condition holds with the same details, whatever the key order', () => {
    expect(
      decideFlagChange(
        READY_FOR_INJECTION,
        holds({ a: 1, b: [1, 2] }),
        { details: { b: [1, 2], a: 1 } },
        true,
      ),
    ).toBe('NONE');
  });

  it('refreshes the details of an open flag when they changed', () => {
    expect(
      decideFlagChange(
        READY_FOR_INJECTION,
        holds({ doses: [] }),
        { details: { doses: [{ label: 'D01' }] } },
        true,
      ),
    ).toBe('UPDATE_DETAILS');
  });

  it('does nothing for a subject whose condition does not hold and that has no open flag', () => {
    expect(decideFlagChange(READY_FOR_RELEASE, ended, null, false)).toBe('NONE');
  });

  it('never raises a POST_RELEASE_QC_FAILURE twice for the same QC result, even after QA resolved it', () => {
    expect(decideFlagChange(POST_RELEASE_QC_FAILURE, holds(), null, false)).toBe('RAISE');
    expect(decideFlagChange(POST_RELEASE_QC_FAILURE, holds(), null, true)).toBe('NONE');
  });

  it('keeps a POST_RELEASE_QC_FAILURE open until QA acknowledges it, even if the result was corrected since', () => {
    expect(decideFlagChange(POST_RELEASE_QC_FAILURE, ended, { details: {} }, true)).toBe('NONE');
  });
});

describe('decideAcknowledgement: POST /flags/:id/acknowledge', () => {
  it.each(['admin', 'qa', 'technician', 'doctor'] as const)(
    'marks an OPEN %s flag ACKNOWLEDGED for a %s',
    (role) => {
      expect(decideAcknowledgement(READY_FOR_RELEASE, FlagStatus.OPEN, role)).toBe('ACKNOWLEDGE');
    },
  );

  it('changes nothing the second time, nor for a resolved flag', () => {
    expect(decideAcknowledgement(DOSE_EXPIRING, FlagStatus.ACKNOWLEDGED, 'doctor')).toBe('NONE');
    expect(decideAcknowledgement(DOSE_EXPIRING, FlagStatus.RESOLVED, 'qa')).toBe('NONE');
    expect(decideAcknowledgement(POST_RELEASE_QC_FAILURE, FlagStatus.RESOLVED, 'qa')).toBe('NONE');
  });

  it('resolves a POST_RELEASE_QC_FAILURE acknowledged by a qa user, open or already acknowledged by someone else', () => {
    expect(decideAcknowledgement(POST_RELEASE_QC_FAILURE, FlagStatus.OPEN, 'qa')).toBe('RESOLVE');
    expect(decideAcknowledgement(POST_RELEASE_QC_FAILURE, FlagStatus.ACKNOWLEDGED, 'qa')).toBe('RESOLVE');
  });

  it('only acknowledges a POST_RELEASE_QC_FAILURE for anyone but qa (it stays open)', () => {
    expect(decideAcknowledgement(POST_RELEASE_QC_FAILURE, FlagStatus.OPEN, 'doctor')).toBe('ACKNOWLEDGE');
    expect(decideAcknowledgement(POST_RELEASE_QC_FAILURE, FlagStatus.OPEN, 'admin')).toBe('ACKNOWLEDGE');
  });

  it('does not let qa resolve other flags by acknowledging them', () => {
    expect(decideAcknowledgement(READY_FOR_RELEASE, FlagStatus.OPEN, 'qa')).toBe('ACKNOWLEDGE');
  });
});
