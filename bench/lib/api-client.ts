/** Just enough HTTP for the harness's own calls (sign-in, set-up, single timed requests); loads use autocannon. */
export interface ApiResponse<T> {
  status: number;
  body: T;
  /** Milliseconds from sending to the last byte of the body. */
  ms: number;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(300_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (NDJSON, SVG, text): the caller gets the text.
    }
    return { status: response.status, body: body as T, ms };
  }

  /** Like request(), but anything but the expected status is an error naming what came back. */
  async expect<T>(
    status: number,
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<ApiResponse<T>> {
    const response = await this.request<T>(method, path, options);
    if (response.status !== status) {
      throw new Error(
        `${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`,
      );
    }
    return response;
  }

  async login(email: string, password: string): Promise<string> {
    const response = await this.expect<{ accessToken: string }>(200, 'POST', '/api/v1/auth/login', {
      body: { email, password },
    });
    return response.body.accessToken;
  }
}
