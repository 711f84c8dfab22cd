import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT, sourceFiles } from '../../support/architecture/table-references';

/** Past this many lines a function does several things; split it (docs/architecture.md). */
const MAX_LINES = 80;

interface LongFunction {
  where: string;
  lines: number;
}

function longFunctions(file: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > MAX_LINES) found.push({ where: `${file}:${first + 1}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  it(`has no function in src/ longer than ${MAX_LINES} lines`, () => {
    const files = sourceFiles('src');
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => longFunctions(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('finds a function one line too long, and a method, and an arrow function', () => {
    const body = (n: number): string =>
      Array.from({ length: n }, (_, i) => `    const a${i} = ${i};`).join('\n');
    const text = [
      `function fits() {\n${body(MAX_LINES - 2)}\n}`,
      `function tooLong() {\n${body(MAX_LINES - 1)}\n}`,
      `class C {\n  m() {\n${body(MAX_LINES)}\n  }\n}`,
      `const f = () => {\n${body(MAX_LINES)}\n};`,
    ].join('\n');
    expect(longFunctions('x.ts', text).map((found) => found.lines)).toEqual([
      MAX_LINES + 1,
      MAX_LINES + 2,
      MAX_LINES + 2,
    ]);
  });
});
