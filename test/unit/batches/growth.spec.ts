import {
  computeGrowth,
  doublingTimeHours,
  GrowthInput,
  leastSquares,
  populationDoublings,
  projectReadyAt,
} from '../../../src/batches/domain/growth';

const T0 = new Date('2026-11-01T09:00:00Z');
const hoursAfterIsolation = (hours: number): Date => new Date(T0.getTime() + hours * 3_600_000);

function aCulture(overrides: Partial<GrowthInput> = {}): GrowthInput {
  return {
    isolation: { at: T0, cellsPlated: 100_000, viabilityPct: 95 },
    passages: [],
    counts: [],
    finalHarvest: null,
    targetCellCount: 100_000_000,
    ...overrides,
  };
}

describe('populationDoublings', () => {
  it('is log2(cells at the end / cells seeded): 1e5 grown to 4e5 is 2 doublings', () => {
    expect(populationDoublings(400_000, 100_000)).toBe(2);
  });

  it('is negative when cells were lost', () => {
    expect(populationDoublings(50_000, 100_000)).toBe(-1);
  });

  it.each([
    [0, 100_000],
    [400_000, 0],
    [-1, 100_000],
    [Number.NaN, 100_000],
    [400_000, Number.POSITIVE_INFINITY],
  ])('is 0 rather than NaN or Infinity for %p / %p', (end, seeded) => {
    expect(populationDoublings(end, seeded)).toBe(0);
  });
});

describe('doublingTimeHours', () => {
  it('is the hours of the interval per doubling: 2 doublings in 48 h is 24 h', () => {
    expect(doublingTimeHours(48, 2)).toBe(24);
  });

  it.each([
    [48, 0],
    [48, -1],
    [0, 2],
    [-5, 2],
    [Number.NaN, 2],
  ])('is null for %p hours and %p doublings (no growth, no interval)', (hours, pd) => {
    expect(doublingTimeHours(hours, pd)).toBeNull();
  });
});

describe('leastSquares', () => {
  it('recovers a straight line through exact points', () => {
    const line = leastSquares([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
    ]);
    expect(line?.slope).toBeCloseTo(2, 12);
    expect(line?.intercept).toBeCloseTo(1, 12);
  });

  it('fits scattered points by hand: (0,0), (1,1), (2,1) gives slope 1/2 and intercept 1/6', () => {
    // mean x = 1, mean y = 2/3; Sxy = (-1)(-2/3) + 0 + (1)(1/3) = 1; Sxx = 2.
    const line = leastSquares([
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 1 },
    ]);
    expect(line?.slope).toBeCloseTo(0.5, 12);
    expect(line?.intercept).toBeCloseTo(1 / 6, 12);
  });

  it('keeps its precision with epoch milliseconds as x', () => {
    const x0 = Date.parse('2026-11-01T00:00:00Z');
    const line = leastSquares([
      { x: x0, y: 0 },
      { x: x0 + 86_400_000, y: 1 },
      { x: x0 + 2 * 86_400_000, y: 2 },
    ]);
    expect(line?.slope).toBeCloseTo(1 / 86_400_000, 18);
  });

  it('is null with fewer than two points or when every point has the same x', () => {
    expect(leastSquares([])).toBeNull();
    expect(leastSquares([{ x: 1, y: 1 }])).toBeNull();
    expect(
      leastSquares([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNull();
  });
});

describe('computeGrowth', () => {
  // Plated 1e5; P1 after 48 h harvests 4e5 (PD 2, 24 h) and reseeds 1e5; a count 36 h later finds 2e5
  // (cumulative 2 + 1 = 3); P2 72 h after P1 harvests 8e5 (PD 3, 24 h; cumulative 5) and reseeds 2e5;
  // the final harvest 48 h later yields 1.6e6 (PD 3, 16 h; cumulative 8).
  const culture = aCulture({
    passages: [
      // Given out of order: the passage number, not the array, orders the intervals.
      {
        passageNumber: 2,
        at: hoursAfterIsolation(120),
        cellsHarvested: 800_000,
        cellsSeeded: 200_000,
        viabilityPct: 91,
      },
      {
        passageNumber: 1,
        at: hoursAfterIsolation(48),
        cellsHarvested: 400_000,
        cellsSeeded: 100_000,
        viabilityPct: 93,
      },
    ],
    counts: [{ at: hoursAfterIsolation(84), totalCells: 200_000, viabilityPct: 92 }],
    finalHarvest: { at: hoursAfterIsolation(168), totalCells: 1_600_000, viabilityPct: 90 },
  });

  it('computes each passage from the previous seeding (isolation for P1)', () => {
    const growth = computeGrowth(culture);
    expect(growth.passages).toEqual([
      { passageNumber: 1, populationDoublings: 2, cumulativePopulationDoublings: 2, doublingTimeHours: 24 },
      { passageNumber: 2, populationDoublings: 3, cumulativePopulationDoublings: 5, doublingTimeHours: 24 },
    ]);
  });

  it('closes the last interval with the final harvest and sums the cumulative PD', () => {
    const growth = computeGrowth(culture);
    expect(growth.finalHarvest).toEqual({
      populationDoublings: 3,
      cumulativePopulationDoublings: 8,
      doublingTimeHours: 16,
    });
    expect(growth.cumulativePopulationDoublings).toBe(8);
  });

  it('draws the curve in time order, a count adding its doublings to those so far', () => {
    const points = computeGrowth(culture).points;
    expect(
      points.map((p) => [p.kind, p.passageNumber, p.totalCells, p.cumulativePopulationDoublings]),
    ).toEqual([
      ['ISOLATION', undefined, 100_000, 0],
      ['PASSAGE', 1, 400_000, 2],
      ['COUNT', undefined, 200_000, 3],
      ['PASSAGE', 2, 800_000, 5],
      ['FINAL_HARVEST', undefined, 1_600_000, 8],
    ]);
    expect(points[0]).toMatchObject({ at: T0, viabilityPct: 95 });
  });

  it('has no projection once the final harvest is recorded', () => {
    expect(computeGrowth(culture).projectedReadyAt).toBeNull();
  });

  it('closes P0 directly with the final harvest when there was no passage', () => {
    const growth = computeGrowth(
      aCulture({ finalHarvest: { at: hoursAfterIsolation(96), totalCells: 1_600_000, viabilityPct: 90 } }),
    );
    expect(growth.finalHarvest).toEqual({
      populationDoublings: 4,
      cumulativePopulationDoublings: 4,
      doublingTimeHours: 24,
    });
  });

  it('gives a null doubling time, not a negative one, for an interval in which cells were lost', () => {
    const growth = computeGrowth(
      aCulture({
        passages: [
          {
            passageNumber: 1,
            at: hoursAfterIsolation(48),
            cellsHarvested: 50_000,
            cellsSeeded: 50_000,
            viabilityPct: 60,
          },
        ],
      }),
    );
    expect(growth.passages[0]).toEqual({
      passageNumber: 1,
      populationDoublings: -1,
      cumulativePopulationDoublings: -1,
      doublingTimeHours: null,
    });
  });

  it('counts a count taken at the moment of a passage in the new interval', () => {
    const growth = computeGrowth(
      aCulture({
        passages: [
          {
            passageNumber: 1,
            at: hoursAfterIsolation(48),
            cellsHarvested: 400_000,
            cellsSeeded: 100_000,
            viabilityPct: 93,
          },
        ],
        counts: [{ at: hoursAfterIsolation(48), totalCells: 100_000, viabilityPct: 93 }],
      }),
    );
    expect(growth.points.map((p) => [p.kind, p.cumulativePopulationDoublings])).toEqual([
      ['ISOLATION', 0],
      ['PASSAGE', 2],
      ['COUNT', 2],
    ]);
  });

  it('leaks no NaN or Infinity from zero counts', () => {
    const growth = computeGrowth(
      aCulture({
        isolation: { at: T0, cellsPlated: 0 },
        passages: [
          {
            passageNumber: 1,
            at: hoursAfterIsolation(48),
            cellsHarvested: 0,
            cellsSeeded: 0,
            viabilityPct: 0,
          },
        ],
        counts: [{ at: hoursAfterIsolation(60), totalCells: 0, viabilityPct: 0 }],
      }),
    );
    const numbers = [
      growth.cumulativePopulationDoublings,
      ...growth.passages.map((p) => p.populationDoublings),
      ...growth.points.map((p) => p.cumulativePopulationDoublings),
    ];
    expect(numbers.every(Number.isFinite)).toBe(true);
    expect(growth.passages[0].doublingTimeHours).toBeNull();
    expect(growth.projectedReadyAt).toBeNull();
  });

  it('is empty before isolation, and ignores counts that have no seeding to double from', () => {
    const growth = computeGrowth(
      aCulture({ isolation: null, counts: [{ at: T0, totalCells: 200_000, viabilityPct: 90 }] }),
    );
    expect(growth).toEqual({
      passages: [],
      finalHarvest: null,
      cumulativePopulationDoublings: 0,
      points: [],
      projectedReadyAt: null,
    });
  });
});

describe('projected ready date', () => {
  it('extends a straight line to the target: one doubling a day from 1e6 reaches 1.6e7 on day 4', () => {
    const growth = computeGrowth(
      aCulture({
        isolation: { at: T0, cellsPlated: 1_000_000 },
        targetCellCount: 16_000_000,
        counts: [
          { at: hoursAfterIsolation(24), totalCells: 2_000_000, viabilityPct: 95 },
          { at: hoursAfterIsolation(48), totalCells: 4_000_000, viabilityPct: 95 },
        ],
      }),
    );
    expect(growth.projectedReadyAt).toEqual(hoursAfterIsolation(96));
  });

  it('follows the last three points only, so the lag phase after isolation does not slow it', () => {
    // Points (h, cumulative PD): (0, 0), (24, 0), (48, 1), (72, 2). The last three lie on PD = (h - 24) / 24,
    // so PD 4 (1e6 -> 1.6e7) is reached at 120 h; all four points would fit a flatter line.
    const growth = computeGrowth(
      aCulture({
        isolation: { at: T0, cellsPlated: 1_000_000 },
        targetCellCount: 16_000_000,
        counts: [
          { at: hoursAfterIsolation(24), totalCells: 1_000_000, viabilityPct: 95 },
          { at: hoursAfterIsolation(48), totalCells: 2_000_000, viabilityPct: 95 },
          { at: hoursAfterIsolation(72), totalCells: 4_000_000, viabilityPct: 95 },
        ],
      }),
    );
    expect(growth.projectedReadyAt).toEqual(hoursAfterIsolation(120));
  });

  it('projects across passages on the cumulative PD, from the cells plated at P0', () => {
    // Isolation (0 h, 0), P1 (48 h, 2) and a count 24 h later (72 h, 2 + log2(2e5 / 1e5) = 3) lie exactly
    // on PD = h / 24, so the fitted line is that line.
    // Target 1e5 * 2^6 = 6.4e6 -> PD 6 at 144 h.
    const growth = computeGrowth(
      aCulture({
        targetCellCount: 6_400_000,
        passages: [
          {
            passageNumber: 1,
            at: hoursAfterIsolation(48),
            cellsHarvested: 400_000,
            cellsSeeded: 100_000,
            viabilityPct: 93,
          },
        ],
        counts: [{ at: hoursAfterIsolation(72), totalCells: 200_000, viabilityPct: 92 }],
      }),
    );
    expect(growth.projectedReadyAt).toEqual(hoursAfterIsolation(144));
  });

  it('is null with only the isolation point', () => {
    expect(computeGrowth(aCulture()).projectedReadyAt).toBeNull();
  });

  it('is null when the cells are not growing (slope 0) or are dying (slope < 0)', () => {
    const flat = aCulture({
      counts: [{ at: hoursAfterIsolation(24), totalCells: 100_000, viabilityPct: 90 }],
    });
    const dying = aCulture({
      counts: [{ at: hoursAfterIsolation(24), totalCells: 50_000, viabilityPct: 40 }],
    });
    expect(computeGrowth(flat).projectedReadyAt).toBeNull();
    expect(computeGrowth(dying).projectedReadyAt).toBeNull();
  });

  it('is null when every fitted point was taken at the same moment', () => {
    expect(
      projectReadyAt(
        [
          { at: T0, cumulativePopulationDoublings: 0 },
          { at: T0, cumulativePopulationDoublings: 1 },
        ],
        100_000,
        100_000_000,
      ),
    ).toBeNull();
  });

  it('is null rather than an invalid date when growth is too slow to ever reach the target', () => {
    expect(
      projectReadyAt(
        [
          { at: T0, cumulativePopulationDoublings: 0 },
          { at: hoursAfterIsolation(24), cumulativePopulationDoublings: 1e-12 },
        ],
        100_000,
        100_000_000,
      ),
    ).toBeNull();
  });

  it('is null without a usable plated count or target', () => {
    const points = [
      { at: T0, cumulativePopulationDoublings: 0 },
      { at: hoursAfterIsolation(24), cumulativePopulationDoublings: 1 },
    ];
    expect(projectReadyAt(points, 0, 100_000_000)).toBeNull();
    expect(projectReadyAt(points, 100_000, 0)).toBeNull();
  });
});
