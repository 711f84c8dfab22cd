import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

/** How serious an adverse event is, in the ASRM's classes (docs/vigilance.md, "Seriousness and clocks"). */
export enum Seriousness {
  DEATH = 'DEATH',
  LIFE_THREATENING = 'LIFE_THREATENING',
  HOSPITALIZATION = 'HOSPITALIZATION',
  DISABILITY = 'DISABILITY',
  CONGENITAL_ANOMALY = 'CONGENITAL_ANOMALY',
  OTHER_SERIOUS = 'OTHER_SERIOUS',
  NON_SERIOUS = 'NON_SERIOUS',
}

export const SERIOUSNESS_CLASSES: readonly Seriousness[] = Object.values(Seriousness);

/** What QA concluded about the link between the cells and the event, when closing it. */
export enum Causality {
  RELATED = 'RELATED',
  POSSIBLY_RELATED = 'POSSIBLY_RELATED',
  UNLIKELY = 'UNLIKELY',
  UNRELATED = 'UNRELATED',
}

export const CAUSALITIES: readonly Causality[] = Object.values(Causality);

/** OPEN: recorded; REPORTED: the report to the committee and ministry is signed; CLOSED: QA's conclusion. */
export enum AdverseEventStatus {
  OPEN = 'OPEN',
  REPORTED = 'REPORTED',
  CLOSED = 'CLOSED',
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The reporting clock, in days from the moment the clinic learned of the event: 7 for a death or a
 * life-threatening event, 15 for the other serious ones; a non-serious event has no clock.
 */
const REPORT_DAYS: Readonly<Record<Seriousness, number | null>> = {
  [Seriousness.DEATH]: 7,
  [Seriousness.LIFE_THREATENING]: 7,
  [Seriousness.HOSPITALIZATION]: 15,
  [Seriousness.DISABILITY]: 15,
  [Seriousness.CONGENITAL_ANOMALY]: 15,
  [Seriousness.OTHER_SERIOUS]: 15,
  [Seriousness.NON_SERIOUS]: null,
};

export function isSerious(seriousness: Seriousness): boolean {
  return REPORT_DAYS[seriousness] !== null;
}

/** When the report is due: `knownAt` plus the class's days, or null when no report is required. */
export function reportDueAt(seriousness: Seriousness, knownAt: Date): Date | null {
  const days = REPORT_DAYS[seriousness];
  return days === null ? null : new Date(knownAt.getTime() + days * DAY_MS);
}

/** Due and not reported by `at` (a knownAt far enough in the past makes a new event overdue at once). */
export function isOverdue(dueAt: Date | null, at: Date): boolean {
  return dueAt !== null && at.getTime() >= dueAt.getTime();
}

/** A report signed after its due moment is late; one for an event with no clock never is. */
export function isLate(dueAt: Date | null, reportedAt: Date): boolean {
  return dueAt !== null && reportedAt.getTime() > dueAt.getTime();
}

/**
 * The report is signed once: an event reported (or closed after its report) answers 409 ALREADY_DECIDED. A
 * non-serious event closed without a report is over, so a report then is 409 INVALID_TRANSITION.
 */
export function assertReportable(event: { status: AdverseEventStatus; reportedAt: Date | null }): void {
  if (event.reportedAt !== null) {
    throw new DomainError(ErrorCode.ALREADY_DECIDED, 'This adverse event is reported already');
  }
  if (event.status !== AdverseEventStatus.OPEN) {
    throw new DomainError(ErrorCode.INVALID_TRANSITION, 'A closed adverse event cannot be reported');
  }
}

/**
 * Closing is QA's conclusion, once (409 ALREADY_DECIDED); a serious event must be reported before it is
 * closed (409 INVALID_TRANSITION), a non-serious one may be closed straight from OPEN.
 */
export function assertClosable(event: { status: AdverseEventStatus; seriousness: Seriousness }): void {
  if (event.status === AdverseEventStatus.CLOSED) {
    throw new DomainError(ErrorCode.ALREADY_DECIDED, 'This adverse event is closed already');
  }
  if (isSerious(event.seriousness) && event.status !== AdverseEventStatus.REPORTED) {
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      'A serious adverse event must be reported before it is closed',
    );
  }
}

/** Vials held for a suspected infection go back to the bank only when the cells are cleared of it. */
export function releasesInfectionHold(causality: Causality): boolean {
  return causality === Causality.UNLIKELY || causality === Causality.UNRELATED;
}

/** The flag's condition: a serious event not yet reported. */
export function reportIsDue(event: { seriousness: Seriousness; reportedAt: Date | null }): boolean {
  return isSerious(event.seriousness) && event.reportedAt === null;
}
