import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { RESULTS_DIR } from '../paths';

/** One line of the report: what was measured, against which target, and whether it held. */
export interface Figure {
  scenario: string;
  /** The measured figure as read (with its ratio to the baseline where there is one). */
  measured: string;
  target: string;
  /** The number the target judges, in `unit`. */
  value: number | null;
  unit: string;
  /** null: informational, or a quick run (which judges nothing), or the scenario failed. */
  pass: boolean | null;
  error?: string;
  details?: Record<string, unknown>;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  node: string;
  postgres?: string;
}

export function describeMachine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // Not Linux: os.cpus() said it.
  }
  return {
    cpus: cpus().length,
    cpuModel,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    loadAverageAtStart: loadavg().map((load) => round(load, 2)),
    node: process.version,
  };
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function verdict(figure: Figure): string {
  if (figure.error) return 'ERROR';
  if (figure.pass === null) return '-';
  return figure.pass ? 'pass' : 'MISS';
}

/** The table as printed, and as pasted into the README (GitHub Markdown). */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['scenario', 'measured', 'target', 'result'];
  const rows = figures.map((figure) => [
    figure.scenario,
    figure.error ? `error: ${figure.error}` : figure.measured,
    figure.target,
    verdict(figure),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function writeResults(report: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
