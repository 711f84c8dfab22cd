import { Readable } from 'node:stream';
import { csvLines, CsvLine } from '../../../src/imports/csv-lines';

async function all(source: string | Readable): Promise<CsvLine[]> {
  const lines: CsvLine[] = [];
  for await (const line of csvLines(source)) lines.push(line);
  return lines;
}

describe('reading CSV lines', () => {
  it('numbers records by the line they start on, header first, skipping empty lines and a BOM', async () => {
    const lines = await all('\uFEFFa,b\n1,2\n\n3,"x\ny"\n4,5\n');
    expect(lines).toEqual([
      { kind: 'record', line: 1, values: ['a', 'b'] },
      { kind: 'record', line: 2, values: ['1', '2'] },
      { kind: 'record', line: 4, values: ['3', 'x\ny'] },
      { kind: 'record', line: 6, values: ['4', '5'] },
    ]);
  });

  it('passes records of the wrong length on, for the caller to report', async () => {
    const lines = await all('a,b\n1\n1,2,3\n');
    expect(lines.map((line) => (line.kind === 'record' ? line.values.length : -1))).toEqual([2, 1, 3]);
  });

  it('ends with a malformed line where the file cannot be parsed further', async () => {
    const lines = await all('a,b\n1,2\n3,"unclosed\n4,5\n');
    expect(lines[1]).toEqual({ kind: 'record', line: 2, values: ['1', '2'] });
    expect(lines[lines.length - 1]).toMatchObject({ kind: 'malformed' });
  });

  it('streams a large file in chunks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => `${index},value-${index}`);
    const source = Readable.from(
      (function* () {
        yield 'n,v\n';
        for (let start = 0; start < rows.length; start += 1000)
          yield `${rows.slice(start, start + 1000).join('\n')}\n`;
      })(),
    );
    let count = 0;
    let last: CsvLine | null = null;
    for await (const line of csvLines(source)) {
      count += 1;
      last = line;
    }
    expect(count).toBe(20_001);
    expect(last).toEqual({ kind: 'record', line: 20_001, values: ['19999', 'value-19999'] });
  });
});
