import { FlagChange } from '../flags/domain/flag-decision';
import { FlagType } from '../flags/domain/flag-type';
import { FlagJobResult } from './job-names';
import { JobMetrics } from './job-metrics';

/** Counts what a job did to the flags it reconciled; the job's result (GET /jobs/:name/runs/:jobId). */
export class FlagTally {
  private readonly result: FlagJobResult = { evaluated: 0, raised: 0, resolved: 0, updated: 0 };

  constructor(private readonly metrics: JobMetrics) {}

  add(type: FlagType, change: FlagChange): void {
    this.result.evaluated += 1;
    if (change === 'NONE') return;
    if (change === 'RAISE') this.result.raised += 1;
    else if (change === 'RESOLVE') this.result.resolved += 1;
    else this.result.updated += 1;
    this.metrics.flagChanges.inc({ type, change });
  }

  done(skipped?: string): FlagJobResult {
    return skipped ? { ...this.result, skipped } : { ...this.result };
  }
}

/** Subjects whose flag may be wrong: condition holds without an open flag, or an open flag without it. */
export function subjectsToReconcile(holding: Iterable<string>, open: Iterable<string>): string[] {
  const holds = new Set(holding);
  const opened = new Set(open);
  const differing = new Set<string>();
  for (const id of holds) if (!opened.has(id)) differing.add(id);
  for (const id of opened) if (!holds.has(id)) differing.add(id);
  return [...differing];
}
