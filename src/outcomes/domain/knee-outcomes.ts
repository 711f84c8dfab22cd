import { monthsAfter } from './follow-up-schedule';
import { painResponse, relapsedAfterResponse } from './pain-response';

/** One recorded assessment of a knee, as the rules read it. */
export interface KneeAssessment {
  id: string;
  kind: 'BASELINE' | 'FOLLOW_UP';
  assessedAt: Date;
  vasPain: number;
  koosPain: number | null;
  doseId: string | null;
}

export interface DerivedOutcome {
  baselineId: string | null;
  baselineVas: number | null;
  monthsAfter: number | null;
  vasReductionPct: number | null;
  koosPainImprovement: number | null;
  responder: boolean | null;
}

const NOTHING: DerivedOutcome = {
  baselineId: null,
  baselineVas: null,
  monthsAfter: null,
  vasReductionPct: null,
  koosPainImprovement: null,
  responder: null,
};

/**
 * What a knee's assessments say, each in turn (docs/outcomes.md, "Follow-ups"): a follow-up is judged
 * against the knee's latest baseline before its dose was given, and counts for the month nearest to the time
 * since that administration. `administeredAt` answers for the doses the follow-ups name.
 */
export function deriveKneeOutcomes(
  assessments: readonly KneeAssessment[],
  administeredAt: ReadonlyMap<string, Date>,
  timeZone: string,
): DerivedOutcome[] {
  const baselines = assessments
    .filter((a) => a.kind === 'BASELINE')
    .sort((a, b) => a.assessedAt.getTime() - b.assessedAt.getTime());
  return assessments.map((assessment) => {
    const givenAt = assessment.doseId ? administeredAt.get(assessment.doseId) : undefined;
    if (assessment.kind === 'BASELINE' || !givenAt) return NOTHING;
    const months = monthsAfter(givenAt, assessment.assessedAt, timeZone);
    const baseline = baselines.filter((b) => b.assessedAt.getTime() < givenAt.getTime()).at(-1);
    if (!baseline) return { ...NOTHING, monthsAfter: months };
    const response = painResponse(baseline, assessment);
    return {
      baselineId: baseline.id,
      baselineVas: baseline.vasPain,
      monthsAfter: months,
      vasReductionPct: response.vasReductionPct,
      koosPainImprovement: response.koosPainImprovement,
      responder: response.responder,
    };
  });
}

/** The knee responded at a follow-up and its latest follow-up has pain back near the baseline. */
export function kneeHasRelapsed(
  assessments: readonly KneeAssessment[],
  derived: readonly DerivedOutcome[],
): boolean {
  const followUps = assessments
    .map((assessment, i) => ({ assessment, outcome: derived[i] }))
    .filter(({ assessment }) => assessment.kind === 'FOLLOW_UP')
    .sort((a, b) => a.assessment.assessedAt.getTime() - b.assessment.assessedAt.getTime());
  const latest = followUps.at(-1);
  if (!latest || latest.outcome.baselineVas === null) return false;
  return relapsedAfterResponse(
    followUps
      .filter(({ outcome }) => outcome.baselineVas !== null)
      .map(({ assessment, outcome }) => ({
        baselineVas: outcome.baselineVas as number,
        vasPain: assessment.vasPain,
      })),
  );
}
