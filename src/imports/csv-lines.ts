import { CsvError, parse } from 'csv-parse';
import { Readable } from 'node:stream';

/** One line of a CSV file as the importer sees it, numbered from 1 (the header). */
export type CsvLine =
  | { kind: 'record'; line: number; values: string[] }
  /** The file cannot be read on from here (an unclosed quote, a line far too long): reading stops. */
  | { kind: 'malformed'; line: number; message: string };

/** A record longer than this is refused rather than buffered (a file with a stray quote would be one record). */
const MAX_RECORD_CHARS = 64 * 1024;

/**
 * Streams the records of a CSV file with csv-parse, in constant memory whatever its size: each record as an
 * array of fields with the line it starts on. A byte-order mark and empty lines are skipped; records of the
 * wrong length are passed on (the caller reports them with their line), and a file that cannot be parsed
 * further ends with one `malformed` line.
 */
export async function* csvLines(source: Readable | string): AsyncGenerator<CsvLine> {
  const input = typeof source === 'string' ? Readable.from(slices(source)) : source;
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // Not the stream's async iterator: on a parse error it drops the records parsed before it, and every good
  // line before the bad one must still be reported.
  const queue: CsvLine[] = [];
  let finished = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  // csv-parse counts a CRLF inside a quoted field as two lines (one outside as one): taken off as they pass.
  let crlfInsideQuotes = 0;
  parser.on('data', ({ record, info }: { record: string[]; info: { lines: number } }) => {
    crlfInsideQuotes += record.reduce((count, value) => count + (value.match(/\r\n/g)?.length ?? 0), 0);
    queue.push({
      kind: 'record',
      line: firstLineOf(record, info.lines - crlfInsideQuotes),
      values: record,
    });
    if (queue.length >= HIGH_WATER) parser.pause();
    notify();
  });
  parser.on('error', (error: Error) => {
    const counted = error instanceof CsvError ? ((error as CsvError & { lines?: number }).lines ?? 0) : 0;
    const line = Math.max(0, counted - crlfInsideQuotes);
    queue.push({ kind: 'malformed', line, message: `the file cannot be read from here: ${error.message}` });
    finished = true;
    notify();
  });
  parser.on('end', () => {
    finished = true;
    notify();
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        if (queue.length < LOW_WATER && parser.isPaused()) parser.resume();
        yield next;
        if (next.kind === 'malformed') return;
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) {
      input.unpipe(parser);
      parser.destroy();
    }
  }
}

const HIGH_WATER = 2000;
const LOW_WATER = 200;

/** Characters handed to the parser at a time. */
const SLICE_CHARS = 64 * 1024;

/**
 * A string in slices: csv-parse parses whatever chunk it is given at once, whatever the back-pressure, so a
 * whole 15 MB file given as one chunk would be held as 100,000 parsed records before the first is read.
 */
function* slices(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    // Never between the two halves of a surrogate pair (a character outside the BMP).
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    yield text.slice(start, end);
    start = end;
  }
}

/** csv-parse counts the lines read so far; a quoted field with line breaks makes a record span several. */
function firstLineOf(record: string[], lastLine: number): number {
  const breaks = record.reduce((count, value) => count + (value.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  return lastLine - breaks;
}
