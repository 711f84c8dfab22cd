/**
 * OperationIds for the OpenAPI document, derived from each route's method and path, so that generated
 * clients get names like `createBatch`, `getBatch`, `listBatchDoses` or `releaseBatch` without every
 * controller spelling them out (see docs/http-api.md, "The OpenAPI document"). A route whose derived name
 * reads badly states its own with `@ApiOperation({ operationId })`, which is kept as written.
 */

/** What the document builder puts where no route stated an operationId; replaced by {@link deriveOperationId}. */
export const DERIVED_OPERATION_ID = '~derive~';

/** Path segments that name an action on what precedes them (`POST /batches/{id}/release`), not a resource. */
const ACTIONS = new Set([
  'acknowledge',
  'cancel',
  'close',
  'cryopreserve',
  'discard',
  'dispatch',
  'export',
  'import',
  'login',
  'logout',
  'move',
  'release',
  'report',
  'retry',
  'run',
  'thaw',
  'unlock',
  'verify',
  'void',
]);

/** Routes whose derived name would mislead, named here (`POST /auth/password` would be `createPassword`). */
const NAMED: Record<string, string> = {
  'post /auth/password': 'changePassword',
};

/** Leading segments that group routes without being a resource of their own (`/auth/login` is `login`). */
const NAMESPACES = new Set(['auth']);

export interface RouteShape {
  method: string;
  /** The path as the document lists it, e.g. `/api/v1/batches/{id}/passages`. */
  path: string;
  /** True when the 200 answer is a list (an array, or a page `{items, nextCursor}`). */
  returnsList: boolean;
  /** The prefix every API path starts with, stripped before naming (e.g. `/api/v1`). */
  prefix: string;
}

export function deriveOperationId(route: RouteShape): string {
  const path = route.path.startsWith(`${route.prefix}/`) ? route.path.slice(route.prefix.length) : route.path;
  const method = route.method.toLowerCase();
  const named = NAMED[`${method} ${path}`];
  if (named) return named;
  const segments = path.split('/').filter(Boolean);
  while (segments.length > 1 && NAMESPACES.has(segments[0])) segments.shift();
  const last = segments[segments.length - 1] ?? 'root';

  if (isParameter(last)) return itemOperation(method, segments);
  const owner = segments.slice(0, -1);
  if (ACTIONS.has(last)) return camel([last, ...resourceNouns(owner)]);
  const ofItem = owner.length > 0 && isParameter(owner[owner.length - 1]);
  if (method === 'get')
    return camel([route.returnsList ? 'list' : 'get', ...resourceNouns(owner), words(last)]);
  if (method === 'post') {
    // A plural is a collection one adds to (`createBatchPassage`); a singular is a record of one event.
    if (isPlural(last)) return camel(['create', ...resourceNouns(owner), singular(last)]);
    return camel([ofItem ? 'record' : 'create', ...resourceNouns(owner), words(last)]);
  }
  if (method === 'put') return camel(['set', ...resourceNouns(owner), words(last)]);
  return camel([verbOf(method), ...resourceNouns(owner), words(last)]);
}

/** `GET /batches/{id}` is `getBatch`; `GET /batches/by-din/{din}` is `getBatchByDin`. */
function itemOperation(method: string, segments: string[]): string {
  const literals = segments.filter((segment) => !isParameter(segment));
  const byIndex = literals.findIndex((segment) => segment.startsWith('by-'));
  if (byIndex > 0) {
    return camel([verbOf(method), ...literals.slice(0, byIndex).map(singular), words(literals[byIndex])]);
  }
  return camel([verbOf(method), ...literals.map(singular)]);
}

function verbOf(method: string): string {
  switch (method) {
    case 'get':
      return 'get';
    case 'patch':
      return 'update';
    case 'put':
      return 'replace';
    case 'delete':
      return 'delete';
    default:
      return method;
  }
}

/** The resources a path runs through, each singular: `/batches/{id}/doses` owns `batch`. */
function resourceNouns(segments: string[]): string[] {
  return segments.filter((segment) => !isParameter(segment)).map(singular);
}

function isParameter(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

function isPlural(segment: string): boolean {
  const word = segment.split('.')[0];
  return word.endsWith('s') && !word.endsWith('ss');
}

function singular(segment: string): string {
  const word = segment.split('.')[0];
  let result = word;
  if (/ies$/.test(word)) result = word.replace(/ies$/, 'y');
  else if (/(ch|sh|x|ss)es$/.test(word)) result = word.replace(/es$/, '');
  else if (isPlural(word)) result = word.replace(/s$/, '');
  return words(segment.replace(word, result));
}

/** `final-harvest` -> `final harvest`; `growth.svg` -> `growth svg`. */
function words(segment: string): string {
  return segment.replace(/[-_.]+/g, ' ');
}

function camel(parts: string[]): string {
  const tokens = parts.flatMap((part) => part.split(' ')).filter(Boolean);
  return tokens
    .map((token, index) =>
      index === 0 ? token.toLowerCase() : token[0].toUpperCase() + token.slice(1).toLowerCase(),
    )
    .join('');
}
