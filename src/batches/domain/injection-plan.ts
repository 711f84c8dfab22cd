import { GrowthPoint, projectReadyAt } from './growth';

/**
 * The injection plan against the culture (docs/outcomes.md, "The plan"): the patient's second trip is booked
 * for `plannedAt`, and the culture must deliver enough viable cells for the knees planned, harvested late
 * enough that the fresh dose still lives at the visit and early enough for in-process QC and release.
 */

const MS_PER_HOUR = 3_600_000;

export type Knee = 'LEFT' | 'RIGHT';
export const KNEES: readonly Knee[] = ['LEFT', 'RIGHT'];

export interface PlanTerms {
  plannedAt: Date;
  knees: readonly Knee[];
  cellsPerKnee: number;
}

export interface HarvestWindow {
  from: Date;
  to: Date;
}

/** What the culture has done so far, as the batches module derives it. */
export interface CultureProgress {
  points: readonly Pick<GrowthPoint, 'at' | 'cumulativePopulationDoublings'>[];
  /** Cells plated at P0; null before isolation. */
  cellsPlated: number | null;
  /** The final harvest, once recorded: when, and the viable cells it yielded. */
  finalHarvest: { at: Date; viableCells: number } | null;
}

export interface PlanJudgement {
  requiredCells: number;
  finalHarvestWindow: HarvestWindow;
  /** null while there is neither a projection nor a final harvest to judge. */
  onTrack: boolean | null;
  /** Hours between the moment the cells are (or are projected to be) there and the window's end. */
  slackHours: number | null;
}

/** Viable cells the visit needs: every planned knee gets `cellsPerKnee`. */
export function requiredCells(plan: Pick<PlanTerms, 'knees' | 'cellsPerKnee'>): number {
  return plan.cellsPerKnee * plan.knees.length;
}

/**
 * The final harvest must fall in [visit - shelf life, visit - release lead]: earlier and the fresh dose has
 * expired by the visit, later and QC and the release cannot be done in time.
 */
export function finalHarvestWindow(
  plannedAt: Date,
  shelfLifeHours: number,
  releaseLeadHours: number,
): HarvestWindow {
  return {
    from: new Date(plannedAt.getTime() - shelfLifeHours * MS_PER_HOUR),
    to: new Date(plannedAt.getTime() - releaseLeadHours * MS_PER_HOUR),
  };
}

/**
 * Before the final harvest, the same least-squares fit as the projected ready date, aimed at the cells the
 * plan needs: on track when it gets there by the window's end. After it, the harvest itself is judged: in
 * the window, and enough viable cells.
 */
export function judgePlan(plan: PlanTerms, culture: CultureProgress, window: HarvestWindow): PlanJudgement {
  const required = requiredCells(plan);
  const base = { requiredCells: required, finalHarvestWindow: window };
  if (culture.finalHarvest) {
    const { at, viableCells } = culture.finalHarvest;
    const inWindow = at.getTime() >= window.from.getTime() && at.getTime() <= window.to.getTime();
    return {
      ...base,
      onTrack: inWindow && viableCells >= required,
      slackHours: hoursBetween(at, window.to),
    };
  }
  const reachedAt =
    culture.cellsPlated === null ? null : projectReadyAt(culture.points, culture.cellsPlated, required);
  if (!reachedAt) return { ...base, onTrack: null, slackHours: null };
  return {
    ...base,
    onTrack: reachedAt.getTime() <= window.to.getTime(),
    slackHours: hoursBetween(reachedAt, window.to),
  };
}

/**
 * Signed hours from `earlier` to `later`, to a tenth of an hour (a readable margin, not a false precision);
 * the judgement itself compares the instants.
 */
function hoursBetween(earlier: Date, later: Date): number {
  return Math.round((later.getTime() - earlier.getTime()) / (MS_PER_HOUR / 10)) / 10 || 0;
}
