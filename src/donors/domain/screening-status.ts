/**
 * Infectious-disease screening of a donor (Act on the Safety of Regenerative Medicine; docs/domain.md, rule 1).
 * The status is derived from the entries every time it is read and never stored, so it cannot drift from
 * the record it summarises.
 */

export enum ScreeningMarker {
  HBV = 'HBV',
  HCV = 'HCV',
  HIV = 'HIV',
  HTLV1 = 'HTLV1',
  SYPHILIS = 'SYPHILIS',
}

export const SCREENING_MARKERS: readonly ScreeningMarker[] = Object.values(ScreeningMarker);

export enum ScreeningResult {
  NEGATIVE = 'NEGATIVE',
  REACTIVE = 'REACTIVE',
}

export enum ScreeningStatus {
  /** Some marker has no current result yet. */
  PENDING = 'PENDING',
  /** Every marker has a current NEGATIVE and none is REACTIVE. */
  NEGATIVE = 'NEGATIVE',
  /** Some current result is REACTIVE. */
  REACTIVE = 'REACTIVE',
}

/** The part of a screening entry the derivation reads. */
export interface ScreeningEntry {
  marker: ScreeningMarker;
  result: ScreeningResult;
  /** Set when a correction replaced this entry; a superseded entry no longer counts. */
  supersededBy: string | null;
}

export interface ScreeningSummary {
  status: ScreeningStatus;
  /** Per marker: REACTIVE if any current result is, NEGATIVE if one is, null while none is recorded. */
  markers: Record<ScreeningMarker, ScreeningResult | null>;
}

/**
 * Only current (not superseded) entries count. A REACTIVE result is not lifted by a later NEGATIVE (no
 * testing into a clean status): only a correction naming it, which supersedes it, takes it out. So the
 * order of the entries does not matter.
 */
export function summariseScreening(entries: readonly ScreeningEntry[]): ScreeningSummary {
  const markers = Object.fromEntries(SCREENING_MARKERS.map((marker) => [marker, null])) as Record<
    ScreeningMarker,
    ScreeningResult | null
  >;
  for (const entry of entries) {
    if (entry.supersededBy !== null) continue;
    if (entry.result === ScreeningResult.REACTIVE || markers[entry.marker] === null) {
      markers[entry.marker] = entry.result;
    }
  }
  const results = SCREENING_MARKERS.map((marker) => markers[marker]);
  const status = results.includes(ScreeningResult.REACTIVE)
    ? ScreeningStatus.REACTIVE
    : results.every((result) => result === ScreeningResult.NEGATIVE)
      ? ScreeningStatus.NEGATIVE
      : ScreeningStatus.PENDING;
  return { status, markers };
}

export function screeningStatus(entries: readonly ScreeningEntry[]): ScreeningStatus {
  return summariseScreening(entries).status;
}
