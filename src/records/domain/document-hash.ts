import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/json/canonical-json';

/**
 * SHA-256 (hex) over the canonical JSON of a document's data (keys sorted, dates as epoch milliseconds:
 * src/audit/canonical.ts), so the same records give the same hash and any changed value a different one.
 */
export function documentHash(data: unknown): string {
  return createHash('sha256').update(canonicalJson(data), 'utf8').digest('hex');
}

/**
 * The latest instant in a document's data: what the PDF's own dates are set to, so they follow the records
 * and not the clock (the same data, the same bytes).
 */
export function latestInstant(data: unknown): Date {
  let latest = 0;
  const walk = (value: unknown): void => {
    if (value instanceof Date) latest = Math.max(latest, value.getTime());
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(data);
  return new Date(latest);
}
