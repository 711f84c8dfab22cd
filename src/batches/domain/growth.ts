/**
 * Population doublings, doubling times, the growth curve and the projected ready date of a batch, exactly
 * as docs/domain.md ("Growth") defines them. Inputs are the counting entries only: the caller has already
 * replaced corrected entries by their corrections.
 */

const MS_PER_HOUR = 3_600_000;
/** The span a JavaScript Date can hold (ECMA-262 time values), so a projection never yields Invalid Date. */
const MAX_TIME_MS = 8.64e15;
/** The projection follows the recent growth rate: cells slow down as they age and the vessels fill. */
const PROJECTION_WINDOW = 3;

export interface GrowthInput {
  isolation: { at: Date; cellsPlated: number; viabilityPct?: number } | null;
  passages: readonly {
    passageNumber: number;
    at: Date;
    cellsHarvested: number;
    cellsSeeded: number;
    viabilityPct: number;
  }[];
  counts: readonly { at: Date; totalCells: number; viabilityPct: number }[];
  finalHarvest: { at: Date; totalCells: number; viabilityPct: number } | null;
  targetCellCount: number;
}

export interface IntervalGrowth {
  populationDoublings: number;
  /** Cumulative PD at the end of this interval, since isolation. */
  cumulativePopulationDoublings: number;
  /** null when the cells did not grow (PD <= 0) or the interval has no positive length. */
  doublingTimeHours: number | null;
}

export interface PassageGrowth extends IntervalGrowth {
  passageNumber: number;
}

export type GrowthPointKind = 'ISOLATION' | 'PASSAGE' | 'COUNT' | 'FINAL_HARVEST';

export interface GrowthPoint {
  at: Date;
  kind: GrowthPointKind;
  passageNumber?: number;
  totalCells: number;
  /** null only for an isolation recorded without viability. */
  viabilityPct: number | null;
  cumulativePopulationDoublings: number;
}

export interface GrowthSummary {
  passages: PassageGrowth[];
  finalHarvest: IntervalGrowth | null;
  cumulativePopulationDoublings: number;
  points: GrowthPoint[];
  projectedReadyAt: Date | null;
}

/** PD = log2(cells at the end of an interval / cells seeded at its start); 0 when either is not positive. */
export function populationDoublings(cellsAtEnd: number, cellsSeeded: number): number {
  if (!isPositive(cellsAtEnd) || !isPositive(cellsSeeded)) {
    return 0;
  }
  return Math.log2(cellsAtEnd / cellsSeeded);
}

/** Hours per doubling; null when the cells did not grow or the interval has no positive length. */
export function doublingTimeHours(
  intervalHours: number,
  populationDoublingsInInterval: number,
): number | null {
  if (!isPositive(intervalHours) || !isPositive(populationDoublingsInInterval)) {
    return null;
  }
  return intervalHours / populationDoublingsInInterval;
}

/**
 * Ordinary least squares line y = intercept + slope * x; null with fewer than two points or when all x
 * are equal (no line is defined). Centred on the means, so large x (timestamps) keep their precision.
 */
export function leastSquares(
  points: readonly { x: number; y: number }[],
): { slope: number; intercept: number } | null {
  if (points.length < 2) {
    return null;
  }
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  if (sxx === 0) {
    return null;
  }
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** A moment at which cells were seeded: an interval of growth starts here. */
interface Seeding {
  at: Date;
  cells: number;
  cumulativePopulationDoublings: number;
}

export function computeGrowth(input: GrowthInput): GrowthSummary {
  const points: GrowthPoint[] = [];
  const seedings: Seeding[] = [];
  let cumulative = 0;

  if (input.isolation) {
    const { at, cellsPlated, viabilityPct } = input.isolation;
    seedings.push({ at, cells: cellsPlated, cumulativePopulationDoublings: 0 });
    points.push({
      at,
      kind: 'ISOLATION',
      totalCells: cellsPlated,
      viabilityPct: viabilityPct ?? null,
      cumulativePopulationDoublings: 0,
    });
  }

  const passages: PassageGrowth[] = [];
  for (const passage of [...input.passages].sort((a, b) => a.passageNumber - b.passageNumber)) {
    const interval = closeInterval(seedings.at(-1), passage.at, passage.cellsHarvested, cumulative);
    cumulative = interval.cumulativePopulationDoublings;
    passages.push({ passageNumber: passage.passageNumber, ...interval });
    seedings.push({ at: passage.at, cells: passage.cellsSeeded, cumulativePopulationDoublings: cumulative });
    points.push({
      at: passage.at,
      kind: 'PASSAGE',
      passageNumber: passage.passageNumber,
      totalCells: passage.cellsHarvested,
      viabilityPct: passage.viabilityPct,
      cumulativePopulationDoublings: cumulative,
    });
  }

  let finalHarvest: IntervalGrowth | null = null;
  if (input.finalHarvest) {
    const { at, totalCells, viabilityPct } = input.finalHarvest;
    finalHarvest = closeInterval(seedings.at(-1), at, totalCells, cumulative);
    cumulative = finalHarvest.cumulativePopulationDoublings;
    points.push({
      at,
      kind: 'FINAL_HARVEST',
      totalCells,
      viabilityPct,
      cumulativePopulationDoublings: cumulative,
    });
  }

  for (const count of input.counts) {
    const seeding = seedingBefore(seedings, count.at);
    if (!seeding) {
      continue; // without a seeding there is nothing to double from
    }
    points.push({
      at: count.at,
      kind: 'COUNT',
      totalCells: count.totalCells,
      viabilityPct: count.viabilityPct,
      cumulativePopulationDoublings:
        seeding.cumulativePopulationDoublings + populationDoublings(count.totalCells, seeding.cells),
    });
  }
  points.sort(byTimeThenKind);

  return {
    passages,
    finalHarvest,
    cumulativePopulationDoublings: cumulative,
    points,
    projectedReadyAt:
      input.isolation && !input.finalHarvest
        ? projectReadyAt(points, input.isolation.cellsPlated, input.targetCellCount)
        : null,
  };
}

/**
 * When `cellsPlated * 2^PD` reaches the target, on the least-squares line through (time, cumulative PD) of
 * the last three points; null when no rising line can be fitted.
 */
export function projectReadyAt(
  points: readonly Pick<GrowthPoint, 'at' | 'cumulativePopulationDoublings'>[],
  cellsPlated: number,
  targetCellCount: number,
): Date | null {
  if (!isPositive(cellsPlated) || !isPositive(targetCellCount)) {
    return null;
  }
  const recent = points.slice(-PROJECTION_WINDOW);
  if (recent.length < 2) {
    return null;
  }
  // Hours since the first fitted point keep the regression well conditioned.
  const originMs = recent[0].at.getTime();
  const line = leastSquares(
    recent.map((p) => ({ x: (p.at.getTime() - originMs) / MS_PER_HOUR, y: p.cumulativePopulationDoublings })),
  );
  if (!line || !(line.slope > 0)) {
    return null;
  }
  const targetPopulationDoublings = Math.log2(targetCellCount / cellsPlated);
  const readyMs = originMs + ((targetPopulationDoublings - line.intercept) / line.slope) * MS_PER_HOUR;
  if (!Number.isFinite(readyMs) || Math.abs(readyMs) > MAX_TIME_MS) {
    return null;
  }
  return new Date(Math.round(readyMs));
}

function closeInterval(
  seeding: Seeding | undefined,
  endAt: Date,
  cellsAtEnd: number,
  cumulativeBefore: number,
): IntervalGrowth {
  if (!seeding) {
    return {
      populationDoublings: 0,
      cumulativePopulationDoublings: cumulativeBefore,
      doublingTimeHours: null,
    };
  }
  const pd = populationDoublings(cellsAtEnd, seeding.cells);
  return {
    populationDoublings: pd,
    cumulativePopulationDoublings: cumulativeBefore + pd,
    doublingTimeHours: doublingTimeHours((endAt.getTime() - seeding.at.getTime()) / MS_PER_HOUR, pd),
  };
}

/** The seeding whose interval contains `at`; a count logged before isolation belongs to the isolation. */
function seedingBefore(seedings: readonly Seeding[], at: Date): Seeding | undefined {
  let found = seedings.at(0);
  for (const seeding of seedings) {
    if (seeding.at.getTime() <= at.getTime()) {
      found = seeding;
    }
  }
  return found;
}

// At the same instant a passage's reseeding comes before a count, which then belongs to the new interval
// (see seedingBefore), and a final harvest closes the culture last.
const KIND_ORDER: Record<GrowthPointKind, number> = { ISOLATION: 0, PASSAGE: 1, COUNT: 2, FINAL_HARVEST: 3 };

function byTimeThenKind(a: GrowthPoint, b: GrowthPoint): number {
  return a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
