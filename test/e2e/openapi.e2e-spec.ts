import { startTestApp, TestApp } from '../support/test-app';

interface Operation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
  parameters?: { in: string; schema?: { format?: string } }[];
}

/** /docs is the contract clients read: every route is there, with its purpose and the errors it answers. */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let operations: { path: string; method: string; operation: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const api = () => operations.filter(({ path }) => path.startsWith('/api/v1/'));

  it('lists the routes of every module', () => {
    const paths = new Set(operations.map(({ path }) => path));
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/donors',
      '/api/v1/harvests',
      '/api/v1/batches',
      '/api/v1/batches/{id}/release',
      '/api/v1/batches/{id}/doses',
      '/api/v1/material-lots',
      '/api/v1/storage-units',
      '/api/v1/vials/{id}/thaw',
      '/api/v1/storage-reviews',
      '/api/v1/flags',
      '/api/v1/jobs/{name}/run',
      '/api/v1/audit/verify',
      '/health',
      '/metrics',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('gives every API operation a summary', () => {
    const missing = api().filter(({ operation }) => !operation.summary);
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('documents 401 and 403 on every protected operation, and bearer auth', () => {
    const protectedOps = api().filter(({ path }) => path !== '/api/v1/auth/login');
    const missing = protectedOps.filter(
      ({ operation }) => !operation.responses['401'] || !operation.responses['403'] || !operation.security,
    );
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('documents 400 wherever a body, a UUID path id or a query is validated', () => {
    const validated = api().filter(
      ({ operation }) =>
        operation.requestBody ||
        (operation.parameters ?? []).some(
          (p) => p.in === 'query' || (p.in === 'path' && p.schema?.format === 'uuid'),
        ),
    );
    expect(validated.length).toBeGreaterThan(40);
    const missing = validated.filter(({ operation }) => !operation.responses['400']);
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('documents 404 on every operation that takes a path id', () => {
    const withId = api().filter(({ path }) => /\{(id|din|label|jobId)\}/.test(path));
    expect(withId.length).toBeGreaterThan(30);
    const missing = withId.filter(({ operation }) => !operation.responses['404']);
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });
});
