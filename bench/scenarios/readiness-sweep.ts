import { ApiClient } from '../lib/api-client';

interface JobRunView {
  state: 'waiting' | 'active' | 'completed' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  failedReason?: string;
  result?: { evaluated: number; raised: number; resolved: number; updated: number };
}

export interface SweepTiming {
  /** From the worker taking the job to its completion: the sweep's own cost, without queueing. */
  workerMs: number;
  /** From POST /jobs/readiness/run to seeing it completed (includes polling, 20 ms steps). */
  wallMs: number;
  result: JobRunView['result'];
}

/**
 * Runs the readiness sweep through the API (POST /jobs/readiness/run, then GET /jobs/readiness/runs/:id until
 * it completes), as an operator would: the measured time is the job's own, start to finish in the worker,
 * which is the sweep's real cost (its SQL, the rules, the flags it reconciles). One unmeasured run first
 * settles the flags (a first sweep raises what the generated record makes due) and warms the caches.
 */
export async function timeSweeps(api: ApiClient, adminToken: string, runs: number): Promise<SweepTiming[]> {
  await sweepOnce(api, adminToken);
  const timings: SweepTiming[] = [];
  for (let run = 0; run < runs; run++) timings.push(await sweepOnce(api, adminToken));
  return timings;
}

async function sweepOnce(api: ApiClient, token: string): Promise<SweepTiming> {
  const started = performance.now();
  const { body } = await api.expect<{ jobId: string }>(202, 'POST', '/api/v1/jobs/readiness/run', { token });
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const { body: run } = await api.expect<JobRunView>(
      200,
      'GET',
      `/api/v1/jobs/readiness/runs/${body.jobId}`,
      { token },
    );
    if (run.state === 'failed')
      throw new Error(`readiness sweep failed: ${run.failedReason ?? 'no reason given'}`);
    if (run.state === 'completed' && run.startedAt && run.finishedAt) {
      return {
        workerMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt),
        wallMs: performance.now() - started,
        result: run.result,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('readiness sweep did not complete in 10 minutes');
}
