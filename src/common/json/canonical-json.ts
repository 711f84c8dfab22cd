/**
 * JSON with keys sorted at every depth and dates as epoch milliseconds: equal values, equal text. A general
 * utility (idempotency fingerprints, signature meanings, flag decisions hash it). The audit trail's canonical
 * text (src/audit/canonical.ts) is this text of an entry and must stay byte for byte the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
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
