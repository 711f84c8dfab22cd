import { computeGrowth } from '../../../src/batches/domain/growth';
import {
  CultureProgress,
  finalHarvestWindow,
  judgePlan,
  PlanTerms,
  requiredCells,
} from '../../../src/batches/domain/injection-plan';

const H = 3_600_000;
const T0 = new Date('2026-11-01T00:00:00Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * H);

/** 1e5 cells plated doubling every 24 h: 2^PD = 2^(hours/24), so 1e8 (~9.97 PD) after ~239 h. */
function steadyCulture(countsAtHours: number[]): CultureProgress {
  const growth = computeGrowth({
    isolation: { at: T0, cellsPlated: 100_000 },
    passages: [],
    counts: countsAtHours.map((h) => ({ at: at(h), totalCells: 100_000 * 2 ** (h / 24), viabilityPct: 95 })),
    finalHarvest: null,
    targetCellCount: 1e9,
  });
  return { points: growth.points, cellsPlated: 100_000, finalHarvest: null };
}

const hoursToReach = (cells: number): number => 24 * Math.log2(cells / 100_000);

function planFor(plannedAtHours: number, overrides: Partial<PlanTerms> = {}): PlanTerms {
  return { plannedAt: at(plannedAtHours), knees: ['LEFT'], cellsPerKnee: 100_000_000, ...overrides };
}

describe('requiredCells', () => {
  it('is cells per knee times the knees planned', () => {
    expect(requiredCells({ knees: ['LEFT', 'RIGHT'], cellsPerKnee: 150_000_000 })).toBe(300_000_000);
    expect(requiredCells({ knees: ['RIGHT'], cellsPerKnee: 150_000_000 })).toBe(150_000_000);
  });
});

describe('finalHarvestWindow', () => {
  it('runs from the visit minus the shelf life to the visit minus the release lead', () => {
    const window = finalHarvestWindow(new Date('2026-12-10T09:00:00Z'), 48, 12);
    expect(window.from.toISOString()).toBe('2026-12-08T09:00:00.000Z');
    expect(window.to.toISOString()).toBe('2026-12-09T21:00:00.000Z');
  });
});

describe('judgePlan before the final harvest', () => {
  const culture = steadyCulture([0, 48, 96]);
  const reach = hoursToReach(100_000_000);

  it('is on track when the projection reaches the required cells before the window closes', () => {
    const plan = planFor(reach + 12 + 30);
    const judged = judgePlan(plan, culture, finalHarvestWindow(plan.plannedAt, 48, 12));
    expect(judged.onTrack).toBe(true);
    expect(judged.slackHours).toBeCloseTo(30, 1);
  });

  it('is on track with zero slack when the projection reaches the cells exactly at the window end', () => {
    const plan = planFor(reach + 12);
    const judged = judgePlan(plan, culture, finalHarvestWindow(plan.plannedAt, 48, 12));
    expect(judged.slackHours).toBe(0);
    expect(judged.onTrack).toBe(true);
  });

  it('is off track, with negative slack, when the cells come after the window end', () => {
    const plan = planFor(reach + 12 - 5);
    const judged = judgePlan(plan, culture, finalHarvestWindow(plan.plannedAt, 48, 12));
    expect(judged.onTrack).toBe(false);
    expect(judged.slackHours).toBeCloseTo(-5, 1);
  });

  it('aims at the cells of both knees: two knees need one more doubling (24 h) than one', () => {
    const plan = planFor(reach + 12 + 10, { knees: ['LEFT', 'RIGHT'] });
    const judged = judgePlan(plan, culture, finalHarvestWindow(plan.plannedAt, 48, 12));
    expect(judged.requiredCells).toBe(200_000_000);
    expect(judged.slackHours).toBeCloseTo(-14, 1);
    expect(judged.onTrack).toBe(false);
  });

  it('has no judgement without a projection (fewer than two points, or before isolation)', () => {
    const plan = planFor(500);
    const window = finalHarvestWindow(plan.plannedAt, 48, 12);
    expect(judgePlan(plan, steadyCulture([0]), window)).toMatchObject({ onTrack: null, slackHours: null });
    expect(judgePlan(plan, { points: [], cellsPlated: null, finalHarvest: null }, window)).toMatchObject({
      onTrack: null,
      slackHours: null,
      requiredCells: 100_000_000,
    });
  });

  it('has no judgement when the cells are not growing', () => {
    const flat: CultureProgress = {
      points: [
        { at: at(0), cumulativePopulationDoublings: 0 },
        { at: at(48), cumulativePopulationDoublings: 0 },
      ],
      cellsPlated: 100_000,
      finalHarvest: null,
    };
    const plan = planFor(500);
    expect(judgePlan(plan, flat, finalHarvestWindow(plan.plannedAt, 48, 12)).onTrack).toBeNull();
  });
});

describe('judgePlan after the final harvest', () => {
  const plan = planFor(400);
  const window = finalHarvestWindow(plan.plannedAt, 48, 12);
  const harvested = (hours: number, viableCells = 120_000_000): CultureProgress => ({
    points: [],
    cellsPlated: 100_000,
    finalHarvest: { at: at(hours), viableCells },
  });

  it('is on track at both edges of the window', () => {
    expect(judgePlan(plan, harvested(400 - 48), window)).toMatchObject({ onTrack: true, slackHours: 36 });
    expect(judgePlan(plan, harvested(400 - 12), window)).toMatchObject({ onTrack: true, slackHours: 0 });
  });

  it('is off track just outside either edge', () => {
    expect(judgePlan(plan, harvested(400 - 48 - 0.01), window).onTrack).toBe(false);
    expect(judgePlan(plan, harvested(400 - 12 + 0.01), window).onTrack).toBe(false);
  });

  it('is off track in the window when the viable cells fall short of the plan', () => {
    expect(judgePlan(plan, harvested(400 - 24, 99_999_999), window).onTrack).toBe(false);
    expect(judgePlan(plan, harvested(400 - 24, 100_000_000), window).onTrack).toBe(true);
  });
});
