/**
 * Pain outcomes of a treated knee against its baseline (docs/outcomes.md, "Responders"). VAS pain is in mm on
 * a 100 mm line (0 no pain), so a fall is an improvement; KOOS pain runs the other way (100 no pain).
 * A responder follows the OMERACT-OARSI high-improvement criterion for pain: the VAS fell by at least 50 %
 * and by at least 20 mm. VAS values are whole millimetres, so the rule is judged in integers, exactly at
 * its edges.
 */

export const RESPONDER_MIN_REDUCTION_PCT = 50;
export const RESPONDER_MIN_REDUCTION_MM = 20;
/** A responder whose pain is back to this share of the baseline is a candidate for a booster. */
export const RELAPSE_SHARE_OF_BASELINE_PCT = 80;

export interface PainResponse {
  /** null when the baseline is 0 (no pain to reduce). */
  vasReductionPct: number | null;
  vasReductionMm: number;
  responder: boolean;
  /** KOOS pain points gained (positive is better); null unless both carry KOOS pain. */
  koosPainImprovement: number | null;
}

export interface PainScores {
  vasPain: number;
  koosPain: number | null;
}

export function painResponse(baseline: PainScores, followUp: PainScores): PainResponse {
  const reductionMm = baseline.vasPain - followUp.vasPain;
  return {
    vasReductionPct: baseline.vasPain > 0 ? round2((reductionMm * 100) / baseline.vasPain) : null,
    vasReductionMm: reductionMm,
    responder: isResponder(baseline.vasPain, followUp.vasPain),
    koosPainImprovement:
      baseline.koosPain === null || followUp.koosPain === null
        ? null
        : round2(followUp.koosPain - baseline.koosPain),
  };
}

/** Reduced by >= 50 % and by >= 20 mm; `reduction * 100 >= 50 * baseline` keeps the 50 % edge exact. */
export function isResponder(baselineVas: number, followUpVas: number): boolean {
  const reduction = baselineVas - followUpVas;
  return (
    reduction >= RESPONDER_MIN_REDUCTION_MM && reduction * 100 >= RESPONDER_MIN_REDUCTION_PCT * baselineVas
  );
}

/** Pain back to >= 80 % of the baseline VAS. */
export function painHasReturned(baselineVas: number, followUpVas: number): boolean {
  return followUpVas * 100 >= RELAPSE_SHARE_OF_BASELINE_PCT * baselineVas;
}

/**
 * A knee that responded at some follow-up and whose latest follow-up has pain back near the baseline: the
 * banked cells can serve a booster. Follow-ups are those of one knee, oldest first, each with its baseline.
 */
export function relapsedAfterResponse(
  followUps: readonly { baselineVas: number; vasPain: number }[],
): boolean {
  const latest = followUps.at(-1);
  if (!latest) return false;
  const respondedBefore = followUps.slice(0, -1).some((f) => isResponder(f.baselineVas, f.vasPain));
  return respondedBefore && painHasReturned(latest.baselineVas, latest.vasPain);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
