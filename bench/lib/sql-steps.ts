import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import { DATA_DIR } from '../paths';

/**
 * A generator file is a list of steps, each headed `-- step: <name>` and optionally `| after: <a>, <b>`. A
 * step runs as one query string (one implicit transaction) on one session; steps whose predecessors are done
 * run side by side on several sessions, so the generation uses the machine's cores.
 */
export interface SqlStep {
  name: string;
  file: string;
  after: string[];
  sql: string;
}

export interface StepTiming {
  step: string;
  seconds: number;
}

const STEP_HEADER = /^-- step: ([^|\n]+?)\s*(?:\|\s*after:\s*([^\n]+))?$/;

export function readSteps(files: readonly string[]): SqlStep[] {
  const steps: SqlStep[] = [];
  for (const file of files) {
    const text = readFileSync(join(DATA_DIR, file), 'utf8');
    let current: SqlStep | null = null;
    const preamble: string[] = [];
    for (const line of text.split('\n')) {
      const header = STEP_HEADER.exec(line);
      if (header) {
        current = {
          name: header[1],
          file: basename(file),
          after: header[2] ? header[2].split(',').map((name) => name.trim()) : [],
          sql: '',
        };
        steps.push(current);
      } else if (current) {
        current.sql += `${line}\n`;
      } else {
        preamble.push(line);
      }
    }
    // A file without step headers is one step named after the file.
    if (!current)
      steps.push({ name: basename(file), file: basename(file), after: [], sql: preamble.join('\n') });
  }
  const names = new Set(steps.map((step) => step.name));
  for (const step of steps) {
    for (const dependency of step.after) {
      if (!names.has(dependency))
        throw new Error(`step "${step.name}" waits for unknown step "${dependency}"`);
    }
  }
  return steps;
}

/**
 * Runs the steps on `sessions` (each already set up by the caller), a step as soon as what it waits for is
 * done, in the order written otherwise. Fails fast: the first error stops new steps and is thrown once the
 * running ones end.
 */
export async function runSteps(
  steps: readonly SqlStep[],
  sessions: readonly Client[],
  onDone: (timing: StepTiming) => void = () => undefined,
): Promise<StepTiming[]> {
  const done = new Set<string>();
  const started = new Set<string>();
  const timings: StepTiming[] = [];
  // An object, not a let: the workers set it from their closures, and TypeScript narrows a let to null here.
  const outcome: { failure: Error | null } = { failure: null };

  const next = (): SqlStep | undefined =>
    steps.find((step) => !started.has(step.name) && step.after.every((name) => done.has(name)));

  const worker = async (session: Client): Promise<void> => {
    for (;;) {
      if (outcome.failure) return;
      const step = next();
      if (!step) {
        if (started.size === steps.length) return;
        // Something is running that others wait for: look again shortly.
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      started.add(step.name);
      const begin = process.hrtime.bigint();
      try {
        await session.query(step.sql);
      } catch (error) {
        outcome.failure ??= new Error(`${step.file} step "${step.name}" failed: ${(error as Error).message}`);
        return;
      }
      const timing = { step: step.name, seconds: Number(process.hrtime.bigint() - begin) / 1e9 };
      timings.push(timing);
      onDone(timing);
      done.add(step.name);
    }
  };

  await Promise.all(sessions.map((session) => worker(session)));
  if (outcome.failure) throw outcome.failure;
  return timings;
}
