import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { FUTURE_TOLERANCE_MS, parseZonedTimestamp } from '../../common/validation/past-event.validator';

/** One reading of a data logger's file. */
export interface LoggedReading {
  at: Date;
  temperatureC: number;
}

/** A line that cannot be read; line 1 is the header. */
export interface CsvLineError {
  line: number;
  field: string;
  message: string;
}

export type LoggerFileResult =
  { ok: true; readings: LoggedReading[] } | { ok: false; errors: CsvLineError[] };

export const LOGGER_FILE_HEADER = ['at', 'temperatureC'] as const;
/** A file of 1 MiB holds about 40,000 lines; more is not a logger's file. */
export const MAX_LOGGER_FILE_READINGS = 50_000;
/** A file with many bad lines is wrong as a whole: the first ones say enough. */
const MAX_REPORTED_ERRORS = 100;
export const MIN_TEMPERATURE_C = -273.15;
export const MAX_TEMPERATURE_C = 200;

/**
 * Reads a data logger's CSV file (`at,temperatureC`, one reading a line) with csv-parse, as a stream. The file
 * is taken whole or not at all: any bad line makes the result a list of errors by line number, so the caller
 * stores nothing of it (docs/environment.md, "Logger files").
 */
export async function readLoggerFile(file: Buffer, now: Date): Promise<LoggerFileResult> {
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  const readings: LoggedReading[] = [];
  const errors: CsvLineError[] = [];
  let header = true;
  try {
    for await (const { record, info } of Readable.from([file]).pipe(parser) as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (header) {
        header = false;
        if (
          record.length !== 2 ||
          record[0] !== LOGGER_FILE_HEADER[0] ||
          record[1] !== LOGGER_FILE_HEADER[1]
        ) {
          return {
            ok: false,
            errors: [
              { line, field: 'header', message: `the first line must be "${LOGGER_FILE_HEADER.join(',')}"` },
            ],
          };
        }
        continue;
      }
      const parsed = readLine(record, line, now);
      if ('errors' in parsed) errors.push(...parsed.errors);
      else readings.push(parsed.reading);
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      if (readings.length > MAX_LOGGER_FILE_READINGS) {
        errors.push({
          line,
          field: 'file',
          message: `a file holds at most ${MAX_LOGGER_FILE_READINGS} readings`,
        });
        break;
      }
    }
  } catch (error) {
    // csv-parse names the line of a malformed quote or field; the file is refused as a whole.
    const line = (error as { lines?: number }).lines ?? 0;
    errors.push({ line, field: 'file', message: (error as Error).message });
  }
  if (header) errors.push({ line: 1, field: 'header', message: 'the file is empty' });
  else if (errors.length === 0 && readings.length === 0)
    errors.push({ line: 2, field: 'file', message: 'the file holds no readings' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, readings };
}

function readLine(
  record: string[],
  line: number,
  now: Date,
): { reading: LoggedReading } | { errors: CsvLineError[] } {
  if (record.length !== 2) {
    return {
      errors: [
        { line, field: 'line', message: `expected 2 fields (at,temperatureC), found ${record.length}` },
      ],
    };
  }
  const errors: CsvLineError[] = [];
  const at = parseZonedTimestamp(record[0]);
  if (at === null)
    errors.push({ line, field: 'at', message: 'at must be an ISO 8601 timestamp with a time zone' });
  else if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    errors.push({ line, field: 'at', message: 'at must not be more than 5 minutes in the future' });
  const temperatureC = record[1] === '' ? Number.NaN : Number(record[1]);
  if (
    !Number.isFinite(temperatureC) ||
    temperatureC < MIN_TEMPERATURE_C ||
    temperatureC > MAX_TEMPERATURE_C
  ) {
    errors.push({
      line,
      field: 'temperatureC',
      message: `temperatureC must be a number from ${MIN_TEMPERATURE_C} to ${MAX_TEMPERATURE_C}`,
    });
  }
  return errors.length > 0 ? { errors } : { reading: { at: at as Date, temperatureC } };
}
