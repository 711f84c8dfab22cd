import { startTestApp, TestApp } from '../support/test-app';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports ok with the database and Redis up, outside the /api/v1 prefix', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', db: 'up', redis: 'up', outboxBacklog: expect.any(Number) });
  });

  it('serves the OpenAPI document and its UI', async () => {
    const document = await t.http.get('/docs-json').expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    await t.http.get('/docs').expect(200);
  });

  it('exposes Prometheus metrics with the HTTP latency histogram', async () => {
    await t.http.get('/health');
    const response = await t.http.get('/metrics').expect(200);
    expect(response.text).toContain('http_request_duration_seconds_bucket');
  });
});
