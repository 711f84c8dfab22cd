/** How the printed records write times, numbers and limits: one place, so the record and the certificate agree. */

/** An instant in the facility's zone, to the minute, with the zone named: "2026-11-24 15:00 (Asia/Tokyo)". */
export function facilityTime(at: Date | null, timeZone: string): string {
  if (!at) return '—';
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

// Building an Intl formatter costs far more than using one, and a large record prints hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Cell numbers with thousands separators (1,600,000), other numbers as recorded. */
export function quantity(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? integers.format(value) : String(value);
}

export interface AppliedSpec {
  kind?: string;
  operator?: string;
  limit?: number | string;
  unit?: string;
  pass?: string;
  allowPending?: boolean;
}

/** The limit a QC result was judged against, as copied onto it: "< 0.5 EU/mL", "NEGATIVE (pending allowed)". */
export function appliedLimit(spec: unknown): string {
  const s = (spec ?? {}) as AppliedSpec;
  if (s.kind === 'CATEGORICAL')
    return `${s.pass ?? 'NEGATIVE'}${s.allowPending ? ' (pending allowed at release)' : ''}`;
  if (s.kind === 'NUMERIC') {
    const limit = typeof s.limit === 'number' ? quantity(s.limit) : String(s.limit ?? '');
    return `${s.operator ?? ''} ${limit} ${s.unit ?? ''}`.trim();
  }
  return '—';
}

interface Correctable {
  id: string;
  correctsId: string | null;
}

/**
 * Entries with each correction placed right after the entry it replaces (and a correction of a correction
 * after that), the rest in their given order: a reader sees the old value and the new one together.
 */
export function besideOriginals<T extends Correctable>(entries: readonly T[]): T[] {
  const ids = new Set(entries.map((e) => e.id));
  const correctionsOf = new Map<string, T[]>();
  for (const e of entries) {
    if (e.correctsId && ids.has(e.correctsId)) {
      correctionsOf.set(e.correctsId, [...(correctionsOf.get(e.correctsId) ?? []), e]);
    }
  }
  const ordered: T[] = [];
  const place = (e: T): void => {
    ordered.push(e);
    for (const c of correctionsOf.get(e.id) ?? []) place(c);
  };
  for (const e of entries) if (!e.correctsId || !ids.has(e.correctsId)) place(e);
  return ordered;
}

/** The unit a result is in: as recorded, else the unit of the limit it was judged against. */
export function resultUnit(unit: string | null, spec: unknown): string {
  return unit ?? (spec as AppliedSpec | null)?.unit ?? '';
}
