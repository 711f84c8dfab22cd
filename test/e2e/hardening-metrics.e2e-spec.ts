import { loginAsAdmin, startTestApp, TestApp } from '../support/test-app';

/** With METRICS_TOKEN set, /metrics answers only a scraper that presents it. */
describe('/metrics behind METRICS_TOKEN', () => {
  const token = 'scraper-token-0123456789abcdef';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { metricsToken: token } });
  });
  afterAll(() => t.close());

  it.each([
    ['no credentials', undefined],
    ['a wrong token', 'Bearer scraper-token-0123456789abcdeX'],
    ['a prefix of the token', 'Bearer scraper-token'],
    ['the token without the scheme', token],
    ['Basic instead of Bearer', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`],
  ])('refuses %s with 401 UNAUTHENTICATED and no metrics', async (_name, header) => {
    const call = t.http.get('/metrics');
    const response = await (header ? call.set('Authorization', header) : call);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(response.text).not.toContain('http_request_duration_seconds');
  });

  it("refuses a user's JWT, even an admin's", async () => {
    const admin = await loginAsAdmin(t.http);
    await t.http.get('/metrics').set('Authorization', `Bearer ${admin}`).expect(401);
  });

  it('serves the scrape to the token holder', async () => {
    const response = await t.http.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(response.text).toContain('http_request_duration_seconds');
  });
});
