/**
 * Preloaded into the benchmarked app (`node --require`), so the harness can look inside without a line of the
 * app changing. The harness writes a command to BENCH_PROBE_FILE and sends SIGWINCH (ignored by default, and not
 * among the signals Nest's shutdown hooks take, unlike SIGUSR2; SIGUSR1 would open Node's inspector); the
 * answer appears in BENCH_PROBE_FILE.out:
 *
 * - `capture-start` / `capture-stop`: record the text of every query the app sends through `pg` in between
 *   (the harness checks the pgbench baseline against the SQL of a real cell count). While not recording, the
 *   cost is one boolean test per query.
 * - `gc`: a full garbage collection, then `process.memoryUsage()`: what the app really holds, as opposed to
 *   the garbage V8 lets pile up while the heap limit is far away (which is most of a busy process's RSS).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';

export interface ProbeCommand {
  id: string;
  command: 'capture-start' | 'capture-stop' | 'gc';
}

export interface ProbeAnswer {
  id: string;
  queries?: string[];
  memory?: NodeJS.MemoryUsage;
}

const file = process.env.BENCH_PROBE_FILE;

if (file) {
  setFlagsFromString('--expose_gc');
  const collect = runInNewContext('gc') as () => void;
  let recording = false;
  let captured: string[] = [];

  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  prototype.query = function capture(this: Client, ...args: unknown[]): unknown {
    if (recording) {
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | null)?.text;
      if (text) captured.push(text);
    }
    return query.apply(this, args);
  };

  const answer = (reply: ProbeAnswer): void => {
    // Written whole, then renamed: the harness never reads half an answer.
    writeFileSync(`${file}.tmp`, JSON.stringify(reply));
    renameSync(`${file}.tmp`, `${file}.out`);
  };

  process.on('SIGWINCH', () => {
    const { id, command } = JSON.parse(readFileSync(file, 'utf8')) as ProbeCommand;
    if (command === 'capture-start') {
      captured = [];
      recording = true;
      answer({ id });
    } else if (command === 'capture-stop') {
      recording = false;
      answer({ id, queries: captured });
    } else {
      collect();
      answer({ id, memory: process.memoryUsage() });
    }
  });
}
