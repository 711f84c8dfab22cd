import type { OpenApiDocument } from './contract-app';
import { Schema, undeclaredFields } from './schema-walk';
import { randomUUID } from 'node:crypto';

/** A JSON answer the server gave, kept to compare with its schema after the journey. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** One disagreement between the server and its document, as Prism reported it. */
export interface Violation {
  /** `POST /api/v1/batches/{id}/passages` */
  route: string;
  /** The status the server answered (or Prism's own, when it refused the request). */
  status: number;
  /** `request` (the client sent what the document forbids) or `response` (the server answered so). */
  side: 'request' | 'response';
  severity: string;
  /** Where in the request or response, e.g. `body.latestCount`. */
  where: string;
  message: string;
}

interface PrismViolation {
  location?: (string | number)[];
  severity?: string;
  message?: string;
}

interface PrismProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  validation?: PrismViolation[];
}

const PRISM_PROBLEM = 'https://stoplight.io/prism/errors#';

/**
 * A `fetch` for a client that talks to the server through Prism and writes down every violation Prism
 * finds, instead of stopping at the first. Where Prism refused a request or replaced a response, the same
 * request goes to the server directly so the journey can go on: every POST carries an Idempotency-Key
 * (one is added where the caller set none), so a POST the server already served is answered again from
 * its record, without a second effect.
 */
export function conformanceFetch(options: {
  prismUrl: string;
  serverUrl: string;
  routeOf: (path: string) => string;
  violations: Violation[];
  /** Every JSON answer the client finally got, for {@link undeclaredFieldViolations}. */
  exchanges?: Exchange[];
}): (input: Request) => Promise<Response> {
  return async (input: Request) => {
    const request = withIdempotencyKey(input);
    const direct = request.clone();
    const response = await fetch(request);
    const url = new URL(request.url);
    const route = `${request.method} ${options.routeOf(url.pathname)}`;
    const listed = headerViolations(route, response);
    options.violations.push(...listed);
    const problem = await prismProblem(response);
    let answer = response;
    if (problem) {
      if (listed.length === 0) options.violations.push(...problemViolations(route, response.status, problem));
      answer = await fetch(new Request(new URL(url.pathname + url.search, options.serverUrl), direct));
    }
    if (options.exchanges && (answer.headers.get('content-type') ?? '').includes('application/json'))
      options.exchanges.push({
        method: request.method,
        path: url.pathname,
        status: answer.status,
        body: await answer.clone().json(),
      });
    return answer;
  };
}

function withIdempotencyKey(input: Request): Request {
  if (input.method !== 'POST' || input.headers.has('idempotency-key')) return input;
  const headers = new Headers(input.headers);
  headers.set('idempotency-key', randomUUID());
  return new Request(input, { headers });
}

async function prismProblem(response: Response): Promise<PrismProblem | null> {
  if (!(response.headers.get('content-type') ?? '').includes('application/problem+json')) return null;
  const problem = (await response.clone().json()) as PrismProblem;
  return problem.type?.startsWith(PRISM_PROBLEM) ? problem : null;
}

function headerViolations(route: string, response: Response): Violation[] {
  const header = response.headers.get('sl-violations');
  if (!header) return [];
  return (JSON.parse(header) as PrismViolation[]).map((violation) =>
    toViolation(route, response.status, violation),
  );
}

/** The violations of a refusal or replaced response; a refusal that lists none (e.g. security) is one itself. */
function problemViolations(route: string, status: number, problem: PrismProblem): Violation[] {
  if (problem.validation?.length)
    return problem.validation.map((violation) => toViolation(route, status, violation));
  return [
    {
      route,
      status,
      side: 'request',
      severity: 'Error',
      where: problem.type?.slice(PRISM_PROBLEM.length) ?? 'request',
      message: `${problem.title ?? ''}: ${problem.detail ?? ''}`.trim(),
    },
  ];
}

function toViolation(route: string, status: number, violation: PrismViolation): Violation {
  const [side, ...where] = violation.location ?? ['response'];
  return {
    route,
    status,
    side: side === 'request' ? 'request' : 'response',
    severity: violation.severity ?? 'Error',
    where: where.join('.'),
    message: violation.message ?? '',
  };
}

/** One line per violation, grouped by route, for a failing test's message. */
export function formatViolations(violations: Violation[]): string {
  const unique = new Map<string, Violation>();
  for (const violation of violations)
    unique.set(`${violation.route}|${violation.side}|${violation.where}|${violation.message}`, violation);
  const lines = [...unique.values()]
    .sort((a, b) => a.route.localeCompare(b.route) || a.where.localeCompare(b.where))
    .map(
      (v) =>
        `  ${v.route} -> ${v.status}: ${v.side}${v.where ? `.${v.where}` : ''}: ${v.message} [${v.severity}]`,
    );
  return `${unique.size} distinct violation(s) of the OpenAPI document:\n${lines.join('\n')}`;
}

/** Fields the server sent that the document does not declare for that route and status. */
export function undeclaredFieldViolations(
  document: OpenApiDocument,
  exchanges: Exchange[],
  routeOf: (path: string) => string,
): Violation[] {
  return exchanges.flatMap(({ method, path, status, body }) => {
    const template = routeOf(path);
    const operation = document.paths[template]?.[method.toLowerCase()] as
      { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> } | undefined;
    const schema = operation?.responses?.[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return [];
    return undeclaredFields(document, schema, body).map((field) => ({
      route: `${method} ${template}`,
      status,
      side: 'response' as const,
      severity: 'Error',
      where: field.where ? `body.${field.where}` : 'body',
      message: field.message,
    }));
  });
}
