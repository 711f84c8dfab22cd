import {
  isResponder,
  painHasReturned,
  painResponse,
  relapsedAfterResponse,
} from '../../../src/outcomes/domain/pain-response';

describe('the OMERACT-OARSI responder rule (VAS pain, mm)', () => {
  it('counts exactly 50 % and exactly 20 mm as a response', () => {
    expect(isResponder(40, 20)).toBe(true); // 50 %, 20 mm
  });

  it('needs both: 50 % but only 19 mm is not a response', () => {
    expect(isResponder(38, 19)).toBe(false);
  });

  it('needs both: 20 mm but under 50 % is not a response', () => {
    expect(isResponder(41, 21)).toBe(false); // 20 mm, 48.8 %
  });

  it('judges the 50 % edge exactly where floating point would not (70 -> 35)', () => {
    expect(isResponder(70, 35)).toBe(true);
    expect(isResponder(70, 36)).toBe(false);
  });

  it('reports the reduction in per cent and mm, and none against a painless baseline', () => {
    expect(painResponse({ vasPain: 80, koosPain: 40 }, { vasPain: 20, koosPain: 75 })).toEqual({
      vasReductionPct: 75,
      vasReductionMm: 60,
      responder: true,
      koosPainImprovement: 35,
    });
    expect(painResponse({ vasPain: 0, koosPain: null }, { vasPain: 10, koosPain: 50 })).toEqual({
      vasReductionPct: null,
      vasReductionMm: -10,
      responder: false,
      koosPainImprovement: null,
    });
  });

  it('rounds the reduction to two decimals', () => {
    expect(
      painResponse({ vasPain: 30, koosPain: null }, { vasPain: 20, koosPain: null }).vasReductionPct,
    ).toBe(33.33);
  });
});

describe('pain coming back', () => {
  it('is back at 80 % of the baseline, not at 79 %', () => {
    expect(painHasReturned(50, 40)).toBe(true);
    expect(painHasReturned(100, 79)).toBe(false);
  });

  it('makes a booster candidate only of a knee that responded before', () => {
    expect(
      relapsedAfterResponse([
        { baselineVas: 70, vasPain: 20 },
        { baselineVas: 70, vasPain: 56 },
      ]),
    ).toBe(true);
    expect(
      relapsedAfterResponse([
        { baselineVas: 70, vasPain: 50 },
        { baselineVas: 70, vasPain: 60 },
      ]),
    ).toBe(false);
    expect(relapsedAfterResponse([{ baselineVas: 70, vasPain: 20 }])).toBe(false);
    expect(relapsedAfterResponse([])).toBe(false);
  });

  it('is not a candidate while the latest follow-up still holds the relief', () => {
    expect(
      relapsedAfterResponse([
        { baselineVas: 70, vasPain: 20 },
        { baselineVas: 70, vasPain: 55 },
      ]),
    ).toBe(false);
  });
});
