import { BenchConfig } from '../config';
import { ApiClient } from '../lib/api-client';
import { AppProcess } from '../lib/app-process';
import { RssSampler } from '../lib/rss-sampler';

/** What every scenario gets: the running app, signed-in people, the database (superuser) and the RSS sampler. */
export interface ScenarioContext {
  config: BenchConfig;
  api: ApiClient;
  app: AppProcess;
  databaseUrl: string;
  tokens: { admin: string; technician: string; qa: string };
  rss: RssSampler;
  /** False in a quick run: figures are printed, targets are not judged. */
  judge: boolean;
}

/** A target's verdict, or null when this run judges nothing. */
export function judged(context: ScenarioContext, holds: boolean): boolean | null {
  return context.judge ? holds : null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
