import { Role } from '../../common/transaction/actor';

/**
 * A flag event as the notifications send it: raised or resolved, and the flag as GET /flags shows it at that
 * moment (kept with the event, so a later change to the flag does not change what was announced).
 */
export enum FlagEventType {
  RAISED = 'flag.raised',
  RESOLVED = 'flag.resolved',
}

export const FLAG_EVENT_TYPES: readonly string[] = Object.values(FlagEventType);

export function isFlagEventType(type: string): type is FlagEventType {
  return FLAG_EVENT_TYPES.includes(type);
}

/** The flag's public fields (FlagViewDto, serialised): only what the notifications rely on is typed here. */
export interface AnnouncedFlag {
  id: string;
  type: string;
  status: string;
  clinicId: string | null;
  batchId: string | null;
  doseId: string | null;
  details: Record<string, unknown>;
  [field: string]: unknown;
}

export interface FlagEvent {
  type: FlagEventType;
  occurredAt: Date;
  flag: AnnouncedFlag;
}

/**
 * The body every webhook of the event receives, byte for byte the same on every retry (it is stored once and
 * signed per attempt): `{type, timestamp, data}` with `data` the flag.
 */
export function webhookBody(event: FlagEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.flag });
}

/** `["*"]` subscribes a webhook to every flag type. */
export const ALL_FLAG_TYPES = '*';

export interface Subscription {
  events: readonly string[];
  /** null: the facility's own webhook, which receives every clinic's events and the facility flags. */
  clinicId: string | null;
}

/**
 * Whether a webhook receives a flag's events: it lists the flag type (or `*`), and a clinic's webhook only its
 * own clinic's flags (facility flags, which have no clinic, go to facility webhooks only: rule 11).
 */
export function subscriptionWants(subscription: Subscription, flag: AnnouncedFlag): boolean {
  const listed = subscription.events.includes(ALL_FLAG_TYPES) || subscription.events.includes(flag.type);
  const inScope = subscription.clinicId === null || subscription.clinicId === flag.clinicId;
  return listed && inScope;
}

export interface Recipient {
  role: Role;
  clinicId: string | null;
  active: boolean;
}

/** Roles that read flags (GET /flags); the monitoring service account does not. */
const FLAG_READERS: ReadonlySet<Role> = new Set<Role>(['admin', 'qa', 'technician', 'doctor']);

/**
 * Whether a user may see a flag, so may be e-mailed about it: GET /flags's rule (a doctor sees their own
 * clinic's flags, never a facility flag), for active users of a role that reads flags.
 */
export function recipientMaySee(recipient: Recipient, flag: AnnouncedFlag): boolean {
  if (!recipient.active || !FLAG_READERS.has(recipient.role)) return false;
  if (recipient.role !== 'doctor') return true;
  return flag.clinicId !== null && flag.clinicId === recipient.clinicId;
}
