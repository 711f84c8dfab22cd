import { QcOutcome, QcTest } from './specification';

/**
 * What a release or rejection signs (21 CFR 11.70, signatures linked to their records): the batch's counting
 * QC results and its current final harvest. Its hash is stored with the decision; anyone can rebuild the
 * record from the trail and check that the signature covers exactly these values.
 */
export interface SignedBatchRecord {
  batchId: string;
  din: string;
  finalHarvest: {
    id: string;
    performedAt: string;
    totalCells: number;
    viabilityPct: number;
    viableCells: number;
  } | null;
  qcResults: {
    id: string;
    test: QcTest;
    result: string | null;
    value: number | null;
    qualifier: string | null;
    unit: string | null;
    testedAt: string;
    outcome: QcOutcome;
    spec: unknown;
  }[];
}

export interface FinalHarvestFacts {
  id: string;
  performedAt: Date;
  totalCells: number;
  viabilityPct: number;
  viableCells: number;
}

export interface QcResultFacts {
  id: string;
  test: QcTest;
  result: string | null;
  value: number | null;
  qualifier: string | null;
  unit: string | null;
  testedAt: Date;
  outcome: QcOutcome;
  spec: unknown;
}

/** The record in a stable form: results in test order, times as ISO strings, so equal facts hash equally. */
export function signedBatchRecord(
  batch: { id: string; din: string },
  finalHarvest: FinalHarvestFacts | null,
  countingResults: readonly QcResultFacts[],
): SignedBatchRecord {
  return {
    batchId: batch.id,
    din: batch.din,
    finalHarvest: finalHarvest && {
      id: finalHarvest.id,
      performedAt: finalHarvest.performedAt.toISOString(),
      totalCells: finalHarvest.totalCells,
      viabilityPct: finalHarvest.viabilityPct,
      viableCells: finalHarvest.viableCells,
    },
    qcResults: [...countingResults]
      .sort((a, b) => a.test.localeCompare(b.test))
      .map((r) => ({
        id: r.id,
        test: r.test,
        result: r.result,
        value: r.value,
        qualifier: r.qualifier,
        unit: r.unit,
        testedAt: r.testedAt.toISOString(),
        outcome: r.outcome,
        spec: r.spec,
      })),
  };
}
