import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

/** docs/domain.md, "States": STORED -> RESERVED -> THAWED, STORED|RESERVED -> DISCARDED. */
export enum VialStatus {
  STORED = 'STORED',
  RESERVED = 'RESERVED',
  THAWED = 'THAWED',
  DISCARDED = 'DISCARDED',
}

export enum VialAction {
  RESERVE = 'RESERVE',
  THAW = 'THAW',
  DISCARD = 'DISCARD',
  MOVE = 'MOVE',
}

/** Vials in the tank: they hold a position (the database's vials_one_live_per_position index says the same). */
export const LIVE_VIAL_STATUSES: readonly VialStatus[] = [VialStatus.STORED, VialStatus.RESERVED];

/** {@link LIVE_VIAL_STATUSES} as an SQL list, for `status IN ${LIVE_VIAL_STATUSES_SQL}`. */
export const LIVE_VIAL_STATUSES_SQL = `(${LIVE_VIAL_STATUSES.map((status) => `'${status}'`).join(', ')})`;

interface VialTransition {
  action: VialAction;
  from: readonly VialStatus[];
  /** null: the vial keeps its status (a move). */
  to: VialStatus | null;
}

/**
 * Every step a vial may take. A vial is thawed only once reserved for a booster: thawing consumes banked cells,
 * and the booster request is where a doctor asks for them and the bank checks that the batch may be drawn
 * (released, no post-release failure, not recalled). A STORED vial is therefore not thawed directly (409).
 */
const VIAL_TRANSITIONS: readonly VialTransition[] = [
  { action: VialAction.RESERVE, from: [VialStatus.STORED], to: VialStatus.RESERVED },
  { action: VialAction.THAW, from: [VialStatus.RESERVED], to: VialStatus.THAWED },
  { action: VialAction.DISCARD, from: LIVE_VIAL_STATUSES, to: VialStatus.DISCARDED },
  { action: VialAction.MOVE, from: LIVE_VIAL_STATUSES, to: null },
];

const PHRASE: Record<VialAction, string> = {
  [VialAction.RESERVE]: 'reserve',
  [VialAction.THAW]: 'thaw',
  [VialAction.DISCARD]: 'discard',
  [VialAction.MOVE]: 'move',
};

export function canTransitionVial(status: VialStatus, action: VialAction): boolean {
  return VIAL_TRANSITIONS.some((row) => row.action === action && row.from.includes(status));
}

/** The vial's status after `action`, or 409 INVALID_TRANSITION. */
export function transitionVial(status: VialStatus, action: VialAction): VialStatus {
  const row = VIAL_TRANSITIONS.find((t) => t.action === action && t.from.includes(status));
  if (!row) {
    const hint =
      action === VialAction.THAW && status === VialStatus.STORED ? ': reserve it for a booster first' : '';
    throw new DomainError(
      ErrorCode.INVALID_TRANSITION,
      `Cannot ${PHRASE[action]} a vial that is ${status}${hint}`,
      {
        status,
        action,
      },
    );
  }
  return row.to ?? status;
}

export function isLive(status: VialStatus): boolean {
  return LIVE_VIAL_STATUSES.includes(status);
}
