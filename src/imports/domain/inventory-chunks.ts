import { csvLines } from '../csv-lines';
import {
  checkHeader,
  InventoryFileChecks,
  InventoryRow,
  parseInventoryLine,
  RowError,
} from './bank-inventory-row';
import { ImportLineCode } from './import-line-code';

/** A run of consecutive data lines of a file: the good rows, the lines' errors, and the last line it covers. */
export interface InventoryChunk {
  /** How many data lines (records) the chunk covers, good and bad. */
  lines: number;
  rows: InventoryRow[];
  errors: RowError[];
  lastLine: number;
}

/** The file is refused as a whole: its header is wrong (or missing). */
export class InventoryHeaderError extends Error {
  constructor(readonly errors: RowError[]) {
    super('the header of the file is wrong');
  }
}

/**
 * Reads a bank inventory file in chunks of `chunkLines` data lines, with every check that needs nothing but
 * the file: the header (refused as a whole by {@link InventoryHeaderError}), each line, and what the lines must
 * agree on. A line the CSV parser cannot read past ends the file with that line's error. Lines up to
 * `afterLine` are checked (the agreement between lines needs them) but yield nothing: a resumed run starts there.
 */
export async function* inventoryChunks(
  content: string,
  now: Date,
  chunkLines: number,
  afterLine = 1,
): AsyncGenerator<InventoryChunk> {
  let header: string[] | null = null;
  const checks = new InventoryFileChecks();
  let chunk: InventoryChunk = { lines: 0, rows: [], errors: [], lastLine: afterLine };
  for await (const line of csvLines(content)) {
    if (line.kind === 'malformed') {
      if (header === null)
        throw new InventoryHeaderError([
          { line: 1, code: ImportLineCode.UNREADABLE, field: null, message: line.message },
        ]);
      if (line.line > afterLine) {
        chunk.errors.push({
          line: Math.max(line.line, chunk.lastLine + 1),
          code: ImportLineCode.UNREADABLE,
          field: null,
          message: line.message,
        });
        chunk.lines += 1;
        chunk.lastLine = Math.max(line.line, chunk.lastLine + 1);
      }
      break;
    }
    if (header === null) {
      header = line.values.map((name) => name.trim());
      const problems = checkHeader(header);
      if (problems.length > 0) throw new InventoryHeaderError(problems);
      continue;
    }
    const parsed = parseInventoryLine(line.line, header, line.values, now);
    const errors = parsed.ok ? checks.check(parsed.row) : parsed.errors;
    if (line.line <= afterLine) continue;
    chunk.lines += 1;
    chunk.lastLine = line.line;
    if (errors.length > 0) chunk.errors.push(...errors);
    else if (parsed.ok) chunk.rows.push(parsed.row);
    if (chunk.lines >= chunkLines) {
      yield chunk;
      chunk = { lines: 0, rows: [], errors: [], lastLine: line.line };
    }
  }
  if (header === null)
    throw new InventoryHeaderError([
      { line: 1, code: ImportLineCode.EMPTY_FILE, field: null, message: 'the file is empty' },
    ]);
  if (chunk.lines > 0) yield chunk;
}

/** How many data lines the file has (what `total` counts), or the header's errors. */
export async function countInventoryLines(content: string, now: Date): Promise<number> {
  let total = 0;
  for await (const chunk of inventoryChunks(content, now, 10_000)) total += chunk.lines;
  return total;
}
