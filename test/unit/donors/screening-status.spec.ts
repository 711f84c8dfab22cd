import {
  SCREENING_MARKERS,
  ScreeningEntry,
  ScreeningMarker,
  ScreeningResult,
  ScreeningStatus,
  screeningStatus,
  summariseScreening,
} from '../../../src/donors/domain/screening-status';

const { NEGATIVE, REACTIVE } = ScreeningResult;

function entry(
  marker: ScreeningMarker,
  result: ScreeningResult,
  supersededBy: string | null = null,
): ScreeningEntry {
  return { marker, result, supersededBy };
}

const allNegative = (): ScreeningEntry[] => SCREENING_MARKERS.map((marker) => entry(marker, NEGATIVE));

describe('screening status', () => {
  it('is PENDING with no results at all', () => {
    expect(summariseScreening([])).toEqual({
      status: ScreeningStatus.PENDING,
      markers: { HBV: null, HCV: null, HIV: null, HTLV1: null, SYPHILIS: null },
    });
  });

  it('is PENDING while any of the five markers has no result', () => {
    for (const missing of SCREENING_MARKERS) {
      expect(screeningStatus(allNegative().filter((e) => e.marker !== missing))).toBe(
        ScreeningStatus.PENDING,
      );
    }
  });

  it('is NEGATIVE when all five markers have a current NEGATIVE', () => {
    expect(screeningStatus(allNegative())).toBe(ScreeningStatus.NEGATIVE);
  });

  it('is REACTIVE as soon as one current result is REACTIVE, even with other markers missing', () => {
    expect(screeningStatus([entry(ScreeningMarker.HIV, REACTIVE)])).toBe(ScreeningStatus.REACTIVE);
  });

  it('is not lifted by a later NEGATIVE for the same marker (no testing into a clean status)', () => {
    const entries = [
      ...allNegative(),
      entry(ScreeningMarker.HBV, REACTIVE),
      entry(ScreeningMarker.HBV, NEGATIVE),
    ];
    const summary = summariseScreening(entries);
    expect(summary.status).toBe(ScreeningStatus.REACTIVE);
    expect(summary.markers.HBV).toBe(REACTIVE);
  });

  it('is REACTIVE whichever order the entries come in', () => {
    const entries = [
      entry(ScreeningMarker.HBV, NEGATIVE),
      entry(ScreeningMarker.HBV, REACTIVE),
      ...allNegative(),
    ];
    expect(screeningStatus(entries)).toBe(ScreeningStatus.REACTIVE);
    expect(screeningStatus([...entries].reverse())).toBe(ScreeningStatus.REACTIVE);
  });

  it('ignores a superseded REACTIVE: the correction that replaced it counts instead', () => {
    const entries = [
      ...allNegative().filter((e) => e.marker !== ScreeningMarker.HCV),
      entry(ScreeningMarker.HCV, REACTIVE, 'correction-id'),
      entry(ScreeningMarker.HCV, NEGATIVE),
    ];
    expect(screeningStatus(entries)).toBe(ScreeningStatus.NEGATIVE);
  });

  it('does not count a superseded NEGATIVE towards completeness', () => {
    const entries = [
      ...allNegative().filter((e) => e.marker !== ScreeningMarker.SYPHILIS),
      entry(ScreeningMarker.SYPHILIS, NEGATIVE, 'correction-id'),
    ];
    const summary = summariseScreening(entries);
    expect(summary.status).toBe(ScreeningStatus.PENDING);
    expect(summary.markers.SYPHILIS).toBeNull();
  });

  it('turns REACTIVE when a NEGATIVE is corrected to REACTIVE', () => {
    const entries = [
      ...allNegative().map((e) => (e.marker === ScreeningMarker.HTLV1 ? { ...e, supersededBy: 'fix' } : e)),
      entry(ScreeningMarker.HTLV1, REACTIVE),
    ];
    expect(screeningStatus(entries)).toBe(ScreeningStatus.REACTIVE);
  });
});
