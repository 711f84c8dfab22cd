import { canonicalJson } from '../../common/json/canonical-json';
import { Role } from '../../common/transaction/actor';
import { FLAG_POLICIES, FlagStatus, FlagType } from './flag-type';

/** JSON as stored in `flags.details` (dates already ISO strings, so a fresh value compares equal to a stored one). */
export type FlagDetails = Record<string, unknown>;

/** A flag's condition for one subject, as re-derived from the record at one moment. */
export interface FlagCondition {
  holds: boolean;
  details: FlagDetails;
}

export interface OpenFlagState {
  details: FlagDetails;
}

export type FlagChange = 'RAISE' | 'RESOLVE' | 'UPDATE_DETAILS' | 'NONE';

/**
 * What to do with a subject's flag of `type`, given its condition now, its open flag (if any) and whether it
 * was ever raised. Pure, so every processor and sweep decides alike:
 * - open flag, condition ended: resolved (unless only QA may close it);
 * - open flag, condition holds: kept, with details refreshed when they changed (doses given since, ...);
 * - no open flag, condition holds: raised, except for a flag raised once per subject that existed already.
 *   A flag resolved because its condition ended is raised again only if the condition came back, and the
 *   caller re-derives the condition under the subject's lock, so a stale reading cannot resurrect it.
 */
export function decideFlagChange(
  type: FlagType,
  condition: FlagCondition,
  open: OpenFlagState | null,
  everRaised: boolean,
): FlagChange {
  const policy = FLAG_POLICIES[type];
  if (open) {
    if (!condition.holds) return policy.resolvesWhenConditionEnds ? 'RESOLVE' : 'NONE';
    return canonicalJson(open.details) === canonicalJson(condition.details) ? 'NONE' : 'UPDATE_DETAILS';
  }
  if (!condition.holds) return 'NONE';
  if (policy.raisedOncePerSubject && everRaised) return 'NONE';
  return 'RAISE';
}

export type AcknowledgementChange = 'ACKNOWLEDGE' | 'RESOLVE' | 'NONE';

/**
 * What `POST /flags/:id/acknowledge` does: an open flag becomes ACKNOWLEDGED ("seen"); a flag that a role closes
 * by acknowledging (a post-release QC failure, by qa) is RESOLVED when such a user acknowledges it; anything else is
 * left as it is, so a second acknowledgement changes nothing.
 */
export function decideAcknowledgement(type: FlagType, status: FlagStatus, role: Role): AcknowledgementChange {
  if (status === FlagStatus.RESOLVED) return 'NONE';
  if (FLAG_POLICIES[type].resolvedByAcknowledgementOf.includes(role)) return 'RESOLVE';
  return status === FlagStatus.OPEN ? 'ACKNOWLEDGE' : 'NONE';
}
