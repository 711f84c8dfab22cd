import { currentEntries } from '../../common/corrections/correction';
import { computeGrowth, GrowthSummary } from './growth';
import { TimelineEntry } from './step-chronology';

/**
 * A batch's culture as recorded, superseded entries included. Everything derived from it (doublings, the
 * curve, the projection, the order of steps in time) reads only the current entries: a corrected entry is
 * replaced by its correction (21 CFR 11.10(e): the old value stays on the record but no longer counts).
 */
export interface CultureRecord {
  receivedAt: Date | null;
  isolation: { performedAt: Date; cellCount: number; viabilityPct: number } | null;
  passages: readonly {
    id: string;
    passageNumber: number;
    performedAt: Date;
    cellsHarvested: number;
    cellsSeeded: number;
    viabilityPct: number;
    supersededBy: string | null;
  }[];
  counts: readonly {
    id: string;
    passageNumber: number;
    countedAt: Date;
    totalCells: number;
    viabilityPct: number;
    supersededBy: string | null;
  }[];
  finalHarvests: readonly {
    id: string;
    performedAt: Date;
    totalCells: number;
    viabilityPct: number;
    supersededBy: string | null;
  }[];
}

export function growthOf(record: CultureRecord, targetCellCount: number): GrowthSummary {
  const finalHarvest = currentEntries([...record.finalHarvests])[0];
  return computeGrowth({
    isolation: record.isolation
      ? {
          at: record.isolation.performedAt,
          cellsPlated: record.isolation.cellCount,
          viabilityPct: record.isolation.viabilityPct,
        }
      : null,
    passages: currentEntries([...record.passages]).map((p) => ({
      passageNumber: p.passageNumber,
      at: p.performedAt,
      cellsHarvested: p.cellsHarvested,
      cellsSeeded: p.cellsSeeded,
      viabilityPct: p.viabilityPct,
    })),
    counts: currentEntries([...record.counts]).map((c) => ({
      at: c.countedAt,
      totalCells: c.totalCells,
      viabilityPct: c.viabilityPct,
    })),
    finalHarvest: finalHarvest
      ? {
          at: finalHarvest.performedAt,
          totalCells: finalHarvest.totalCells,
          viabilityPct: finalHarvest.viabilityPct,
        }
      : null,
    targetCellCount,
  });
}

/** The current entries placed on the batch's timeline, for the chronology check of a new or corrected step. */
export function timelineOf(record: CultureRecord): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  if (record.receivedAt) entries.push({ kind: 'RECEIPT', at: record.receivedAt });
  if (record.isolation) entries.push({ kind: 'ISOLATION', at: record.isolation.performedAt });
  for (const p of currentEntries([...record.passages])) {
    entries.push({ kind: 'PASSAGE', id: p.id, passageNumber: p.passageNumber, at: p.performedAt });
  }
  for (const c of currentEntries([...record.counts])) {
    entries.push({ kind: 'COUNT', id: c.id, passageNumber: c.passageNumber, at: c.countedAt });
  }
  for (const f of currentEntries([...record.finalHarvests])) {
    entries.push({ kind: 'FINAL_HARVEST', id: f.id, at: f.performedAt });
  }
  return entries;
}
