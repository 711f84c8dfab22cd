import { hash } from 'node:crypto';

/**
 * The canonical text of an audit entry: JSON with keys sorted at every depth and times as epoch
 * milliseconds. It is stored as text and hashed as UTF-8 bytes, so SQL (`audit_append`) and JavaScript
 * (`verify`) hash exactly the same thing.
 */
export interface AuditRecord {
  at: number;
  actorId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export function canonicalText(record: AuditRecord): string {
  return canonicalJson(record);
}

/** JSON with keys sorted at every depth and dates as epoch milliseconds: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** sha256(prevHash || canonical) over UTF-8 bytes, hex: what `audit_append()` computes in SQL. */
export function chainHash(prevHash: string, canonical: string): string {
  // The one-shot `hash` (strings as UTF-8) costs about half of a `createHash` object at this size, and
  // `verify` runs it once per entry of the trail.
  return hash('sha256', prevHash + canonical, 'hex');
}

function sortKeys(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(sortKeys);
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeys(item);
  }
  return sorted;
}
