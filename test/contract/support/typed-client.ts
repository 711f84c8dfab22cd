import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** Where the generated client types go; the journey script imports them (git ignores the folder). */
export const GENERATED_TYPES = join(__dirname, '../generated/cpc-api.d.ts');
const BIN = join(__dirname, '../../../node_modules/.bin');

/**
 * openapi-typescript's command over the document the app serves, exactly as a client developer runs it
 * (its library cannot load under Jest: it needs ES modules).
 */
export async function generateClientTypes(documentPath: string): Promise<void> {
  mkdirSync(dirname(GENERATED_TYPES), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    execFile(
      join(BIN, 'openapi-typescript'),
      [documentPath, '-o', GENERATED_TYPES],
      (error, stdout, stderr) =>
        error ? reject(new Error(`openapi-typescript failed:\n${stdout}${stderr}`)) : resolve(),
    );
  });
}

export interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** Type-checks a project and returns its diagnostics (none when it compiles). */
export async function typeCheck(project: string): Promise<Diagnostic[]> {
  const output = await new Promise<string>((resolve) => {
    execFile(join(BIN, 'tsc'), ['--noEmit', '--pretty', 'false', '-p', project], (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line.trim());
    if (match)
      diagnostics.push({ file: match[1], line: Number(match[2]), code: match[3], message: match[4] });
    else if (line.trim() && diagnostics.length > 0)
      diagnostics[diagnostics.length - 1].message += ` ${line.trim()}`;
    else if (line.trim()) diagnostics.push({ file: project, line: 0, code: 'tsc', message: line.trim() });
  }
  return diagnostics;
}

export function formatDiagnostics(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `  ${d.file}:${d.line} ${d.code} ${d.message}`).join('\n');
}

/**
 * Every place a file overrides the type checker: `x as T`, `<T>x`, `x!`, and `@ts-` comments. A client
 * that needs one of these has found a gap in the generated types.
 */
export function castsIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`line ${line + 1}: ${node.getText().slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  text.split('\n').forEach((line, index) => {
    if (/@ts-(ignore|expect-error|nocheck)|eslint-disable/.test(line))
      found.push(`line ${index + 1}: ${line.trim()}`);
  });
  return found;
}
