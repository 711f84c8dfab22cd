import { ErrorCode } from '../../src/common/errors/error-code';
import { aCast, bearer } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

interface Media {
  schema?: { $ref?: string; allOf?: { $ref?: string }[] };
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  info: { license?: { name: string } };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, { enum?: string[]; $ref?: string }> }>;
    securitySchemes: Record<string, { type: string; scheme?: string }>;
  };
}

/**
 * The rules the document finisher (src/common/openapi/finish-document.ts) applies to every route, so that no
 * controller can forget them (docs/http-api.md, "The OpenAPI document").
 */
describe('the OpenAPI document, route by route', () => {
  let t: TestApp;
  let document: Document;
  let operations: { route: string; method: string; path: string; operation: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        method,
        path,
        operation,
      })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('names the base URL, the licence, and bearer auth as the default', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.info.license?.name).toBeTruthy();
    expect(document.security).toEqual([{ bearer: [] }]);
  });

  it('gives every operation a unique camelCase operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId ?? '');
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const byRoute = Object.fromEntries(
      operations.map(({ route, operation }) => [route, operation.operationId]),
    );
    expect(byRoute).toMatchObject({
      'POST /api/v1/batches': 'createBatch',
      'GET /api/v1/batches/{id}': 'getBatch',
      'POST /api/v1/batches/{id}/release': 'releaseBatch',
    });
  });

  it('says security: [] on the public routes, and a scheme on every other', () => {
    const open = operations
      .filter(({ operation }) => operation.security?.length === 0)
      .map(({ route }) => route);
    expect(open.sort()).toEqual(['GET /health', 'GET /metrics', 'POST /api/v1/auth/login']);
    expect(operations.filter(({ operation }) => operation.security === undefined)).toEqual([]);
  });

  it('documents the queue dashboard with its HTTP Basic scheme', () => {
    const dashboard = document.paths['/admin/queues']?.get;
    expect(dashboard?.security).toEqual([{ adminBasic: [] }]);
    expect(document.components.securitySchemes.adminBasic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(Object.keys(dashboard?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '403', '429']),
    );
  });

  it('declares Idempotency-Key on every POST, with the 409 and 422 it brings on signed-in routes', () => {
    const posts = operations.filter(({ method }) => method === 'post');
    expect(posts.length).toBeGreaterThan(30);
    const headerless = posts.filter(
      ({ operation }) =>
        !operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
    );
    expect(headerless.map(({ route }) => route)).toEqual([]);
    const signedIn = posts.filter(({ operation }) => operation.security?.length);
    const missing = signedIn.filter(
      ({ operation }) => !operation.responses['409'] || !operation.responses['422'],
    );
    expect(missing.map(({ route }) => route)).toEqual([]);
  });

  it('declares every error answer as JSON, even where success is an SVG or NDJSON', () => {
    const notJson = operations.flatMap(({ route, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^[45]/.test(status))
        .filter(([, response]) => Object.keys(response.content ?? {}).join() !== 'application/json')
        .map(([status]) => `${route} ${status}`),
    );
    expect(notJson).toEqual([]);
    const svg = document.paths['/api/v1/batches/{id}/growth.svg'].get.responses;
    expect(Object.keys(svg['200'].content ?? {})).toEqual(['image/svg+xml']);
    const notFound = svg['404'].content?.['application/json']?.schema;
    expect(notFound?.$ref ?? notFound?.allOf?.[0]?.$ref).toMatch(/ErrorResponseDto$/);
  });

  it('declares 503 everywhere and 413 wherever a body is taken', () => {
    expect(
      operations.filter(({ operation }) => !operation.responses['503']).map(({ route }) => route),
    ).toEqual([]);
    const withBody = operations.filter(({ operation }) => operation.requestBody);
    expect(withBody.filter(({ operation }) => !operation.responses['413']).map(({ route }) => route)).toEqual(
      [],
    );
  });

  it('gives the error code as an enum of every code the server sends', () => {
    const code = document.components.schemas.ErrorResponseDto.properties?.code as {
      allOf?: { $ref: string }[];
    };
    expect(code.allOf?.[0].$ref).toBe('#/components/schemas/ErrorCode');
    const codes = (document.components.schemas.ErrorCode as { enum?: string[] }).enum;
    expect(codes).toEqual(
      expect.arrayContaining([...Object.values(ErrorCode), 'INTERNAL_ERROR', 'HTTP_ERROR']),
    );
  });

  it('declares path ids as UUIDs', () => {
    const ids = operations.flatMap(({ route, operation }) =>
      (operation.parameters ?? [])
        .filter((p) => p.in === 'path' && p.name === 'id')
        .map((p) => ({ route, p })),
    );
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter(({ p }) => p.schema?.format !== 'uuid').map(({ route }) => route)).toEqual([]);
  });

  it('gives a QC result two shapes chosen by its test: a categorical result or a numeric value', () => {
    const body = document.paths['/api/v1/batches/{id}/qc-results'].post?.requestBody as {
      content: Record<string, { schema: { oneOf?: { $ref: string }[]; discriminator?: unknown } }>;
    };
    const schema = body.content['application/json'].schema;
    expect(schema.oneOf?.map((one) => one.$ref)).toEqual([
      '#/components/schemas/CategoricalQcResultBodyDto',
      '#/components/schemas/NumericQcResultBodyDto',
    ]);
    const shape = (name: string) =>
      document.components.schemas[name] as {
        required?: string[];
        properties: Record<string, { enum?: string[] }>;
      };
    const categorical = shape('CategoricalQcResultBodyDto');
    const numeric = shape('NumericQcResultBodyDto');
    expect(categorical.properties.test.enum).toEqual(['STERILITY', 'MYCOPLASMA']);
    expect(categorical.required).toEqual(expect.arrayContaining(['test', 'result', 'testedAt']));
    expect(categorical.properties.value).toBeUndefined();
    expect(numeric.properties.test.enum).not.toContain('STERILITY');
    expect(numeric.required).toEqual(expect.arrayContaining(['test', 'value', 'testedAt']));
    expect(numeric.properties.result).toBeUndefined();
  });
});

/** What the document says of errors on non-JSON routes, the server does: the JSON error body. */
describe('errors on routes that succeed with SVG or NDJSON', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 401 and 404 on growth.svg, and 403 on the audit export, as JSON error bodies', async () => {
    const cast = await aCast(t.http);
    const noBatch = '/api/v1/batches/00000000-0000-4000-8000-000000000000/growth.svg';
    const answers = [
      {
        response: await t.http.get(noBatch).set('Authorization', 'Bearer not-a-token'),
        code: 'UNAUTHENTICATED',
      },
      { response: await t.http.get(noBatch).set(...bearer(cast.doctor)), code: 'NOT_FOUND' },
      { response: await t.http.get('/api/v1/audit/export').set(...bearer(cast.qa)), code: 'FORBIDDEN' },
    ];
    for (const { response, code } of answers) {
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({ code, statusCode: response.status });
    }
  });
});
