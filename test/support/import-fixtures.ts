import TestAgent from 'supertest/lib/agent';
import { BANK_INVENTORY_COLUMNS } from '../../src/imports/domain/bank-inventory-row';
import { dinCheckCharacter } from '../../src/batches/domain/din';
import { eventually } from './flag-fixtures';
import { bearer } from './people';

export type InventoryLine = Record<(typeof BANK_INVENTORY_COLUMNS)[number], string | number>;

export interface ImportView {
  id: string;
  state: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  total: number | null;
  processed: number;
  created: number;
  skipped: number;
  errors: { line: number; field: string | null; message: string }[];
}

let dinCounter = 0;

/**
 * A DIN of a legacy facility (not ours, so it never meets a DIN this run issues): `L` + four digits from the
 * test process + year 19 + a sequence.
 */
export function aLegacyDin(): string {
  dinCounter += 1;
  const facility = String(process.pid % 10_000).padStart(4, '0');
  const sequence = String((Date.now() % 900_000) + dinCounter)
    .padStart(6, '0')
    .slice(-6);
  return `L${facility}19${sequence}`;
}

export function withCheck(din: string): string {
  return `${din}${dinCheckCharacter(din)}`;
}

export function csvOf(lines: readonly Partial<InventoryLine>[], header = BANK_INVENTORY_COLUMNS): string {
  const cell = (value: unknown): string => {
    const text = value === undefined ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[header.join(','), ...lines.map((line) => header.map((name) => cell(line[name])).join(','))].join('\n')}\n`;
}

export async function postInventory(
  http: TestAgent,
  adminToken: string,
  csv: string,
  dryRun: boolean,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await http
    .post('/api/v1/imports/bank-inventory')
    .query({ dryRun: String(dryRun) })
    .set(...bearer(adminToken))
    .set('content-type', 'text/csv')
    .send(csv);
  return { status: response.status, body: response.body as Record<string, unknown> };
}

export async function importOf(http: TestAgent, adminToken: string, id: string): Promise<ImportView> {
  const response = await http.get(`/api/v1/imports/${id}`).set(...bearer(adminToken));
  if (response.status !== 200) throw new Error(`import: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as ImportView;
}

/** Runs a file for real and waits for the import to finish. */
export async function importedInventory(
  http: TestAgent,
  adminToken: string,
  csv: string,
  timeoutMs = 30_000,
): Promise<ImportView> {
  const started = await postInventory(http, adminToken, csv, false);
  if (started.status !== 202) throw new Error(`import: ${started.status} ${JSON.stringify(started.body)}`);
  const id = started.body.importId as string;
  return eventually(
    async () => {
      const view = await importOf(http, adminToken, id);
      return view.state === 'COMPLETED' || view.state === 'FAILED' ? view : null;
    },
    timeoutMs,
    `import ${id}`,
  );
}
