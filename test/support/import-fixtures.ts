import TestAgent from 'supertest/lib/agent';
import { BANK_INVENTORY_COLUMNS } from '../../src/imports/domain/bank-inventory-row';
import { eventually } from './flag-fixtures';
import { bearer } from './people';

export type InventoryLine = Record<(typeof BANK_INVENTORY_COLUMNS)[number], string>;

export const INVENTORY_HEADER = BANK_INVENTORY_COLUMNS.join(',');

/** A bank inventory file: the header, then one line per entry (a string is written as it is). */
export function inventoryFile(lines: readonly (InventoryLine | string)[]): string {
  const body = lines.map((line) =>
    typeof line === 'string' ? line : BANK_INVENTORY_COLUMNS.map((name) => line[name]).join(','),
  );
  return `${INVENTORY_HEADER}\n${body.join('\n')}\n`;
}

let dinCounter = 0;
/** A DIN of another facility (FIN A1234, 2019) no other test uses. */
export function aLegacyDin(): string {
  dinCounter += 1;
  const sequence = (Date.now() % 10_000) * 100 + ((process.pid + dinCounter) % 100);
  return `A123419${String(sequence).padStart(6, '0')}`.slice(0, 13);
}

export interface ImportView {
  id: string;
  state: string;
  total: number;
  processed: number;
  created: number;
  skipped: number;
  errors: { line: number; field: string | null; message: string }[];
  failure: string | null;
}

export async function postInventory(
  http: TestAgent,
  admin: string,
  file: string,
  dryRun: boolean,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await http
    .post('/api/v1/imports/bank-inventory')
    .query({ dryRun: String(dryRun) })
    .set(...bearer(admin))
    .set('Content-Type', 'text/csv')
    .send(file);
  return { status: response.status, body: response.body as Record<string, unknown> };
}

export async function importView(http: TestAgent, admin: string, id: string): Promise<ImportView> {
  const response = await http.get(`/api/v1/imports/${id}`).set(...bearer(admin));
  if (response.status !== 200)
    throw new Error(`import ${id}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as ImportView;
}

/** The import once it is COMPLETED or FAILED. */
export function finishedImport(
  http: TestAgent,
  admin: string,
  id: string,
  timeoutMs = 20_000,
): Promise<ImportView> {
  return eventually(
    async () => {
      const view = await importView(http, admin, id);
      return view.state === 'COMPLETED' || view.state === 'FAILED' ? view : null;
    },
    timeoutMs,
    `import ${id} finished`,
  );
}
