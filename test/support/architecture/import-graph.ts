import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { moduleOf, ROOT, sourceFiles } from './table-references';

/**
 * The import graph of `src/`, for the import-cycle test (docs/architecture.md, "No import cycles"): every
 * relative `import` and `export ... from` of a file, type-only ones included (a cycle of types is still two
 * modules that cannot be understood apart). Files outside `src/` (config/) are leaves and not followed.
 */
export type Graph = Map<string, string[]>;

export function fileGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles('src')) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
    const targets = source.statements
      .map((statement) =>
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : undefined,
      )
      .filter((specifier): specifier is string => specifier !== undefined && specifier.startsWith('.'))
      .map((specifier) => resolve(file, specifier))
      .filter((target): target is string => target !== undefined && target.startsWith('src/'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The modules' graph: an edge where a file of one module imports a file of another (moduleOf names them). */
export function moduleGraph(files: Graph): Graph {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = moduleOf(file);
    const set = edges.get(from) ?? new Set<string>();
    for (const target of targets) if (moduleOf(target) !== from) set.add(moduleOf(target));
    edges.set(from, set);
  }
  return new Map([...edges].map(([from, set]) => [from, [...set].sort()]));
}

/** The files behind one module edge, for the message of a failing test. */
export function filesBehind(files: Graph, from: string, to: string): string[] {
  return [...files].flatMap(([file, targets]) =>
    moduleOf(file) === from ? targets.filter((t) => moduleOf(t) === to).map((t) => `${file} -> ${t}`) : [],
  );
}

/** The graph's cycles as its strongly connected components of more than one node (Tarjan), each sorted. */
export function cycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return found;
}

function resolve(file: string, specifier: string): string | undefined {
  const base = join(dirname(file), specifier).split('\\').join('/');
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => existsSync(join(ROOT, candidate)));
}
