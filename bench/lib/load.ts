import autocannon, { Request, Result } from 'autocannon';

/** What a load measured, in the units the report prints. */
export interface LoadSummary {
  requests: number;
  /** Successful (2xx) responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Anything but a 2xx, or a connection error or timeout. */
  failures: number;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second for all connections together; absent: as fast as the server answers. */
  overallRate?: number;
  /** Builds each request (path, body, headers): every request must be valid for its scenario. */
  next: () => Request;
}

/** One autocannon run (the programmatic API), 127.0.0.1 only, bounded in time. */
export function runLoad(options: LoadOptions): Promise<LoadSummary> {
  if (!new URL(options.url).hostname.startsWith('127.')) throw new Error('loads target 127.0.0.1 only');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.overallRate,
        timeout: 30,
        requests: [{ setupRequest: (request) => ({ ...request, ...options.next() }) }],
      },
      (error, result) => (error ? reject(error) : resolve(summarise(result))),
    );
  });
}

function summarise(result: Result): LoadSummary {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  const ok = result['2xx'];
  return {
    requests: result.requests.total,
    rps: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    // autocannon counts timeouts among its errors.
    failures: result.non2xx + result.errors,
    statusCodes,
  };
}

/** Latency percentiles of a series of single timed requests (for slow calls measured one at a time). */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}
