import { readLoggerFile } from '../../../src/environment/domain/logger-csv';

const NOW = new Date('2026-11-10T00:00:00Z');
const file = (text: string): Buffer => Buffer.from(text, 'utf8');

describe("a data logger's CSV file", () => {
  it('reads every line after the header', async () => {
    const result = await readLoggerFile(
      file(
        '\ufeffat,temperatureC\r\n2026-11-01T00:00:00Z,-190.5\r\n2026-11-01T00:01:00+09:00, -185 \r\n\r\n',
      ),
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      readings: [
        { at: new Date('2026-11-01T00:00:00Z'), temperatureC: -190.5 },
        { at: new Date('2026-10-31T15:01:00Z'), temperatureC: -185 },
      ],
    });
  });

  it('names the line number of every bad line (the header is line 1)', async () => {
    const result = await readLoggerFile(
      file(
        'at,temperatureC\n2026-11-01T00:00:00Z,-190\n2026-11-01 00:01,-190\n2026-11-01T00:02:00Z,cold\n2026-11-01T00:03:00Z\n',
      ),
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, field: 'at', message: expect.stringContaining('ISO 8601') },
        { line: 4, field: 'temperatureC', message: expect.any(String) },
        { line: 5, field: 'line', message: expect.stringContaining('2 fields') },
      ],
    });
  });

  it('refuses a wrong header, an empty file and a reading in the future', async () => {
    expect(await readLoggerFile(file('time,temp\n2026-11-01T00:00:00Z,-190\n'), NOW)).toMatchObject({
      ok: false,
      errors: [{ line: 1, field: 'header' }],
    });
    expect(await readLoggerFile(file(''), NOW)).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(await readLoggerFile(file('at,temperatureC\n2026-11-10T00:06:00Z,-190\n'), NOW)).toMatchObject({
      ok: false,
      errors: [{ line: 2, field: 'at' }],
    });
  });

  it('refuses an unterminated quote with its line', async () => {
    const result = await readLoggerFile(
      file('at,temperatureC\n2026-11-01T00:00:00Z,-190\n"2026-11-01,-1\n'),
      NOW,
    );
    expect(result.ok).toBe(false);
  });
});
