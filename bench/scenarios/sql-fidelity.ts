import { pgbenchStatements } from '../baseline/pgbench';
import { Figure } from '../lib/report';
import { ScenarioContext } from './context';
import { cellCountBody, inCultureBatchIds } from './cell-count';

/**
 * Is the baseline fair? One cell count goes through the API while the app records the SQL it sends
 * (lib/app-probe.ts); its statements, reduced to their shape (verb and table), must be those of the pgbench
 * script. A difference means the API and the baseline drifted apart: the ratio would compare unlike work.
 */
export async function checkSqlFidelity(context: ScenarioContext): Promise<Figure> {
  const [batchId] = await inCultureBatchIds(context.databaseUrl);
  await context.app.probe('capture-start');
  await context.api.expect(201, 'POST', `/api/v1/batches/${batchId}/cell-counts`, {
    token: context.tokens.technician,
    body: cellCountBody(),
  });
  await pause(100);
  const captured = (await context.app.probe('capture-stop')).queries ?? [];
  const api = requestStatements(captured.map(shapeOf));
  const baseline = pgbenchStatements().map(shapeOf);
  const same = api.length === baseline.length && api.every((shape, index) => shape === baseline[index]);
  return {
    scenario: "pgbench script = the API's SQL",
    measured: same ? `same ${api.length} statements` : `differs: API [${api.join('; ')}]`,
    target: 'same statements',
    value: null,
    unit: '',
    pass: same,
    details: { api, pgbench: baseline, captured },
  };
}

/** The request's own statements: from the guard's user look-up to the commit of its transaction. */
function requestStatements(shapes: string[]): string[] {
  const start = shapes.indexOf('SELECT users');
  if (start < 0) return shapes;
  const commit = shapes.indexOf('COMMIT', start);
  return shapes.slice(start, commit < 0 ? undefined : commit + 1);
}

/** `SELECT batches FOR UPDATE`, `INSERT batch_cell_counts`, `SELECT audit_append`, `BEGIN`, `COMMIT`. */
export function shapeOf(statement: string): string {
  const text = statement.replace(/\s+/g, ' ').trim();
  if (/^(BEGIN|START TRANSACTION)\b/i.test(text)) return 'BEGIN';
  if (/^(COMMIT|END)\b/i.test(text)) return 'COMMIT';
  if (/^ROLLBACK\b/i.test(text)) return 'ROLLBACK';
  const fn = /^SELECT .*? FROM (\w+)\(/i.exec(text);
  if (fn) return `SELECT ${fn[1]}`;
  const write = /^(INSERT INTO|UPDATE|DELETE FROM) (\w+)/i.exec(text);
  if (write) return `${write[1].split(' ')[0].toUpperCase()} ${write[2]}`;
  const read = /\bFROM (\w+)/i.exec(text);
  const verb = text.split(' ')[0].toUpperCase();
  return `${verb} ${read?.[1] ?? '?'}${/\bFOR UPDATE\b/i.test(text) ? ' FOR UPDATE' : ''}`;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
