import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * Finds which module touches which table, statically, for the table-ownership test
 * (docs/architecture.md, "Table ownership"). Three kinds of reference are seen:
 * - SQL text in string and template literals (constants named in `${...}` are folded in, so
 *   `FROM ${FROM}` with `const FROM = 'doses d JOIN batches b ...'` is read whole): INSERT INTO, UPDATE,
 *   DELETE FROM, TRUNCATE and LOCK TABLE write; FROM and JOIN read;
 * - a string literal that is exactly a table's name (a table picked at run time from a map);
 * - an import of another module's `*.entity.ts` (its entity class names its table).
 * An `@Entity('name')` declares the table's owner.
 */
export type Access = 'reads' | 'writes';

export interface TableReference {
  file: string;
  module: string;
  table: string;
  access: Access;
}

export interface EntityDeclaration {
  file: string;
  module: string;
  table: string;
}

export const ROOT = join(__dirname, '..', '..', '..');

/** `src/doses/doses.repository.ts` -> `doses`; `src/common/transaction/x.ts` -> `common/transaction`. */
export function moduleOf(file: string): string {
  const parts = file.split('/');
  if (parts.length < 3) return 'app';
  return parts[1] === 'common' ? `common/${parts[2]}` : parts[1];
}

/** The tables the migrations create (a table dropped later would have to be removed by hand here). */
export function migrationTables(): Set<string> {
  const tables = new Set<string>();
  for (const file of sourceFiles('migrations')) {
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(
      /CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g,
    ))
      tables.add(match[1]);
  }
  return tables;
}

export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts'))
        files.push(relative(ROOT, full).split(sep).join('/'));
    }
  };
  walk(join(ROOT, dir));
  return files.sort();
}

const WRITE =
  /\b(?:INSERT INTO|(?<!FOR |KEY )UPDATE|DELETE FROM|TRUNCATE(?: TABLE)?|LOCK TABLE)\s+(?:ONLY\s+)?(\w+)/g;
const READ = /\b(?<!DELETE )(?:FROM|JOIN)\s+(?:ONLY\s+)?(\w+)/g;

export interface Scan {
  references: TableReference[];
  entities: EntityDeclaration[];
}

/** Every table reference and entity declaration under `src/`. */
export function scanSources(tables: Set<string>): Scan {
  const files = sourceFiles('src');
  const parsed = new Map(files.map((file) => [file, parse(file)]));
  const entities = files.flatMap((file) => entityDeclarations(file, parsed.get(file) as ts.SourceFile));
  const entityTable = new Map(entities.map((entity) => [entity.file.replace(/\.ts$/, ''), entity.table]));
  const references: TableReference[] = [];
  for (const file of files) {
    const source = parsed.get(file) as ts.SourceFile;
    const module = moduleOf(file);
    const add = (table: string, access: Access): void => {
      if (tables.has(table)) references.push({ file, module, table, access });
    };
    for (const text of literalTexts(source)) {
      const writes = [...text.matchAll(WRITE)].map((m) => m[1]);
      writes.forEach((table) => add(table, 'writes'));
      for (const match of text.matchAll(READ)) add(match[1], 'reads');
      if (tables.has(text.trim())) add(text.trim(), 'reads');
    }
    for (const imported of entityImports(file, source)) {
      const table = entityTable.get(imported);
      if (table) add(table, 'reads');
    }
  }
  return { references: dedupe(references), entities };
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

function entityDeclarations(file: string, source: ts.SourceFile): EntityDeclaration[] {
  const found: EntityDeclaration[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isDecorator(node) &&
      ts.isCallExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'Entity'
    ) {
      const [name] = node.expression.arguments;
      if (name && ts.isStringLiteral(name)) found.push({ file, module: moduleOf(file), table: name.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Imports of `*.entity` files, resolved to `src/...` paths without the extension. */
function entityImports(file: string, source: ts.SourceFile): string[] {
  const dir = file.split('/').slice(0, -1);
  return source.statements
    .filter(ts.isImportDeclaration)
    .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text)
    .filter((specifier) => specifier.startsWith('.') && specifier.endsWith('.entity'))
    .map((specifier) => {
      const parts = [...dir];
      for (const part of specifier.split('/')) {
        if (part === '..') parts.pop();
        else if (part !== '.') parts.push(part);
      }
      return parts.join('/');
    });
}

/**
 * The text of every string and template literal outside decorators (route paths and tags are not SQL),
 * with `${CONSTANT}` replaced by the constant's own text when it is a literal declared in the same file.
 */
function literalTexts(source: ts.SourceFile): string[] {
  const constants = new Map<string, ts.Expression>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.initializer)
        constants.set(declaration.name.text, declaration.initializer);
    }
  }
  const render = (node: ts.Expression, depth: number): string => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) {
      return (
        node.head.text +
        node.templateSpans
          .map((span) => {
            const inner =
              ts.isIdentifier(span.expression) && depth < 5 ? constants.get(span.expression.text) : undefined;
            return (inner ? render(inner, depth + 1) : ' ? ') + span.literal.text;
          })
          .join('')
      );
    }
    return '';
  };
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isDecorator(node)) return;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      texts.push(render(node, 0));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function dedupe(references: TableReference[]): TableReference[] {
  const seen = new Map<string, TableReference>();
  for (const reference of references)
    seen.set(`${reference.file} ${reference.access} ${reference.table}`, reference);
  return [...seen.values()];
}
