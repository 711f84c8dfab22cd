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

  it('numbers lines the same with CRLF line ends, also after a quoted field holding one', async () => {
    const lines = await all('a,b\r\n3,"x\r\ny"\r\n4,5\r\n6,"p\r\nq\r\nr"\r\n7,8\r\n');
    expect(lines.map((line) => line.line)).toEqual([1, 2, 4, 5, 8]);
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

  it('reads a large string in slices: a character outside the BMP, a CRLF and a quoted field across slice ends', async () => {
    // 64 Ki characters a slice (src/imports/csv-lines.ts): put the awkward things where one ends.
    const slice = 64 * 1024;
    const head = 'n,v\r\n';
    const filler = (length: number): string => `1,${'x'.repeat(length - 4)}\r\n`;
    const records = [
      filler(slice - head.length - 1) + '2,\u{1F9EA}tube\r\n', // the emoji's halves straddle the first end
      '3,"quoted,\r\nacross"\r\n',
    ];
    const text = head + records.join('') + filler(slice) + '4,last\r\n';
    const lines = await all(text);
    const oneChunk = await all(Readable.from([Buffer.from(text, 'utf8')]));
    expect(lines).toEqual(oneChunk);
    expect(lines.map((line) => (line.kind === 'record' ? line.values[1] : line.message)).slice(2)).toEqual([
      '\u{1F9EA}tube',
      'quoted,\r\nacross',
      'x'.repeat(slice - 4),
      'last',
    ]);
    expect(lines[lines.length - 1]).toEqual({ kind: 'record', line: 7, values: ['4', 'last'] });
  });
});
