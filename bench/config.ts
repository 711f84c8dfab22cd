/**
 * How big and how long. The full run holds the design to the numbers of docs/operations.md at ten years of data; the quick
 * run (CI) uses small data and short loads to prove every scenario still runs, and judges nothing.
 */
export interface BenchConfig {
  quick: boolean;
  /** `--only=<text>`: run only the scenarios whose name contains it (the data are generated in full all the same). */
  only: string | null;
  scale: {
    /** Finished batches of the past ten years. */
    historical: number;
    /** Batches in play (all stages; 40 % in culture). */
    active: number;
    clinics: number;
    /** Audit entries generated for the history (the load adds its own on top). */
    auditEntries: number;
    /** Monitored tanks, months of readings, and minutes between two readings before the charted month. */
    readingTanks: number;
    readingMonths: number;
    readingHistoryMinutes: number;
  };
  /** Seconds of each throughput load (pgbench, the cell-count load). */
  loadSeconds: number;
  /** Seconds of warm-up before a measured HTTP load (JIT, pools, caches). */
  warmupSeconds: number;
  /** Seconds of each look-up load. */
  lookupSeconds: number;
  /** Concurrent clients of the write load and of pgbench (8, as the targets of docs/operations.md are measured). */
  writeClients: number;
  /** Measured runs of the readiness sweep at each size (after one warm-up run). */
  sweepRuns: number;
  /** Requests per recall list measured. */
  recallRequests: number;
}

export function configFrom(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick');
  const only =
    argv
      .find((arg) => arg.startsWith('--only='))
      ?.slice('--only='.length)
      .toLowerCase() || null;
  if (quick) {
    return {
      quick,
      only,
      scale: {
        historical: 2_000,
        active: 50,
        clinics: 3,
        auditEntries: 2_000,
        readingTanks: 3,
        readingMonths: 6,
        readingHistoryMinutes: 60,
      },
      loadSeconds: 2,
      warmupSeconds: 1,
      lookupSeconds: 1,
      writeClients: 8,
      sweepRuns: 1,
      recallRequests: 5,
    };
  }
  return {
    quick,
    only,
    scale: {
      historical: 1_000_000,
      active: 1_000,
      clinics: 20,
      auditEntries: 1_000_000,
      // Ten years of 20 tanks: the charted month at one reading a minute, the rest hourly unless
      // BENCH_READINGS_FULL=1 asks for every minute of the ten years (about 100 M rows, a quarter of an hour).
      readingTanks: 20,
      readingMonths: 120,
      readingHistoryMinutes: process.env.BENCH_READINGS_FULL === '1' ? 1 : 60,
    },
    loadSeconds: 20,
    warmupSeconds: 5,
    lookupSeconds: 10,
    writeClients: 8,
    sweepRuns: 5,
    recallRequests: 50,
  };
}
