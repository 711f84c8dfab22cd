import { DomainError } from '../../../src/common/errors/domain-error';
import { ErrorCode } from '../../../src/common/errors/error-code';
import {
  AdverseEventStatus,
  assertClosable,
  assertReportable,
  Causality,
  isLate,
  isOverdue,
  isSerious,
  releasesInfectionHold,
  reportDueAt,
  reportIsDue,
  Seriousness,
} from '../../../src/vigilance/domain/adverse-event-rules';

const DAY = 24 * 3600 * 1000;
const knownAt = new Date('2026-11-01T09:00:00.000Z');

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
}

describe('adverse events: seriousness and reporting clocks', () => {
  it.each([Seriousness.DEATH, Seriousness.LIFE_THREATENING])('gives %s 7 days from knownAt', (s) => {
    expect(reportDueAt(s, knownAt)?.getTime()).toBe(knownAt.getTime() + 7 * DAY);
    expect(isSerious(s)).toBe(true);
  });

  it.each([
    Seriousness.HOSPITALIZATION,
    Seriousness.DISABILITY,
    Seriousness.CONGENITAL_ANOMALY,
    Seriousness.OTHER_SERIOUS,
  ])('gives %s 15 days from knownAt', (s) => {
    expect(reportDueAt(s, knownAt)?.getTime()).toBe(knownAt.getTime() + 15 * DAY);
  });

  it('gives a non-serious event no clock, so it is never overdue nor late', () => {
    expect(reportDueAt(Seriousness.NON_SERIOUS, knownAt)).toBeNull();
    expect(isSerious(Seriousness.NON_SERIOUS)).toBe(false);
    expect(isOverdue(null, new Date('2100-01-01'))).toBe(false);
    expect(isLate(null, new Date('2100-01-01'))).toBe(false);
    expect(reportIsDue({ seriousness: Seriousness.NON_SERIOUS, reportedAt: null })).toBe(false);
  });

  it('is overdue from the due moment on, and a report after it is late', () => {
    const due = reportDueAt(Seriousness.DEATH, knownAt) as Date;
    expect(isOverdue(due, new Date(due.getTime() - 1))).toBe(false);
    expect(isOverdue(due, due)).toBe(true);
    expect(isLate(due, due)).toBe(false);
    expect(isLate(due, new Date(due.getTime() + 1))).toBe(true);
  });

  it('makes an event known 8 days ago with a 7-day clock overdue at once', () => {
    const now = new Date();
    const due = reportDueAt(Seriousness.LIFE_THREATENING, new Date(now.getTime() - 8 * DAY));
    expect(isOverdue(due, now)).toBe(true);
  });
});

describe('adverse events: report and close', () => {
  it('reports an open event once (ALREADY_DECIDED after), never a closed one (INVALID_TRANSITION)', () => {
    expect(codeOf(() => assertReportable({ status: AdverseEventStatus.OPEN, reportedAt: null }))).toBeNull();
    const reported = { status: AdverseEventStatus.REPORTED, reportedAt: knownAt };
    expect(codeOf(() => assertReportable(reported))).toBe(ErrorCode.ALREADY_DECIDED);
    expect(codeOf(() => assertReportable({ status: AdverseEventStatus.CLOSED, reportedAt: knownAt }))).toBe(
      ErrorCode.ALREADY_DECIDED,
    );
    expect(codeOf(() => assertReportable({ status: AdverseEventStatus.CLOSED, reportedAt: null }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
  });

  it('closes a serious event only once reported, a non-serious one at once, and each only once', () => {
    const serious = Seriousness.HOSPITALIZATION;
    expect(codeOf(() => assertClosable({ status: AdverseEventStatus.OPEN, seriousness: serious }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    expect(
      codeOf(() => assertClosable({ status: AdverseEventStatus.REPORTED, seriousness: serious })),
    ).toBeNull();
    expect(
      codeOf(() => assertClosable({ status: AdverseEventStatus.OPEN, seriousness: Seriousness.NON_SERIOUS })),
    ).toBeNull();
    expect(codeOf(() => assertClosable({ status: AdverseEventStatus.CLOSED, seriousness: serious }))).toBe(
      ErrorCode.ALREADY_DECIDED,
    );
  });

  it('releases an infection hold only when the cells are cleared (UNLIKELY, UNRELATED)', () => {
    expect(releasesInfectionHold(Causality.UNLIKELY)).toBe(true);
    expect(releasesInfectionHold(Causality.UNRELATED)).toBe(true);
    expect(releasesInfectionHold(Causality.RELATED)).toBe(false);
    expect(releasesInfectionHold(Causality.POSSIBLY_RELATED)).toBe(false);
  });
});
