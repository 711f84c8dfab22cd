import { join, resolve } from 'node:path';

/** The project's root: this file runs as dist/bench/paths.js. */
export const ROOT = resolve(__dirname, '..', '..');
export const BENCH_DIR = join(ROOT, 'bench');
export const DATA_DIR = join(BENCH_DIR, 'data');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const APP_MAIN = join(ROOT, 'dist', 'src', 'main.js');
/** Preloaded into the app so the harness can see its SQL and its live memory (lib/app-probe.ts). */
export const APP_PROBE_PRELOAD = join(ROOT, 'dist', 'bench', 'lib', 'app-probe.js');
