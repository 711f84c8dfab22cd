import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../../support/test-app';

/** The real app listening on a port of its own, and the OpenAPI document it serves, saved to a file. */
export interface ContractApp {
  test: TestApp;
  url: string;
  document: OpenApiDocument;
  documentPath: string;
  /** A scratch folder for this run (generated client, Prism's copy of the document); removed on close. */
  folder: string;
  close(): Promise<void>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export async function startContractApp(): Promise<ContractApp> {
  const test = await startTestApp();
  await test.app.listen(0, '127.0.0.1');
  const address = test.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const response = await fetch(`${url}/docs-json`);
  if (response.status !== 200) throw new Error(`/docs-json answered ${response.status}`);
  const document = (await response.json()) as OpenApiDocument;
  const folder = mkdtempSync(join(tmpdir(), 'cpc-contract-'));
  const documentPath = join(folder, 'openapi.json');
  writeFileSync(documentPath, JSON.stringify(document, null, 2));
  return {
    test,
    url,
    document,
    documentPath,
    folder,
    async close() {
      await test.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** `/api/v1/batches/5f0c.../passages` -> `/api/v1/batches/{id}/passages`, by the document's own paths. */
export function routeTemplate(document: OpenApiDocument, path: string): string {
  const bare = path.split('?')[0];
  const candidates = Object.keys(document.paths).filter((template) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(bare);
  });
  // A literal segment beats a parameter (`/batches/by-din/{din}` over `/batches/{id}/...`).
  const parameters = (template: string) => template.split('{').length;
  candidates.sort((a, b) => parameters(a) - parameters(b));
  return candidates[0] ?? bare;
}
