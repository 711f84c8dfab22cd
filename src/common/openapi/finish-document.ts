import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
  SecuritySchemeObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  IDEMPOTENCY_KEY_HEADER,
  IGNORED_IDEMPOTENCY_KEY_DESCRIPTION,
} from '../http/api-idempotency-key.decorator';
import { DERIVED_OPERATION_ID, deriveOperationId } from './operation-ids';

/**
 * The rules of the OpenAPI document that hold for every route, applied once to the document the builder
 * produced, so that no controller can forget them (docs/http-api.md, "The OpenAPI document"): public routes
 * say `security: []`; every POST declares `Idempotency-Key`; every error answer is the JSON error body, even
 * where success is an SVG, a PDF or NDJSON; every route that reads the database may answer 503, every route
 * that takes a body 413; operationIds are derived from the route; a property that only wraps one `$ref` in
 * `allOf` (what the builder emits for a named enum without other keywords) is the `$ref` itself.
 */
export interface DocumentRules {
  /** The schema of the error body (`{statusCode, code, message, details}`). */
  errorSchema: string;
  /** The prefix of API paths, stripped when naming operations. */
  apiPrefix: string;
  /** Routes served beside Nest's (the queue dashboard), with the security schemes they use. */
  extraPaths?: Record<string, PathItemObject>;
  extraSecuritySchemes?: Record<string, SecuritySchemeObject>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type Method = (typeof METHODS)[number];
const JSON_MEDIA = 'application/json';

export function finishDocument(document: OpenAPIObject, rules: DocumentRules): OpenAPIObject {
  document.paths = { ...document.paths, ...(rules.extraPaths ?? {}) };
  document.components = {
    ...document.components,
    securitySchemes: { ...document.components?.securitySchemes, ...(rules.extraSecuritySchemes ?? {}) },
  };
  const errorRef: ReferenceObject = { $ref: `#/components/schemas/${rules.errorSchema}` };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      markPublic(operation);
      if (method === 'post') declareIdempotencyKey(operation, errorRef);
      declareCommonErrors(operation, errorRef);
      errorsAreJson(operation, errorRef);
      nameOperation(document, operation, { method, path, prefix: rules.apiPrefix });
    }
  }
  for (const schema of Object.values(document.components.schemas ?? {})) unwrapLoneAllOf(schema);
  return document;
}

function unwrapLoneAllOf(schema: SchemaObject | ReferenceObject): void {
  if (!('properties' in schema) || !schema.properties) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    const only = 'allOf' in property && property.allOf?.length === 1 && Object.keys(property).length === 1;
    if (only) schema.properties[name] = property.allOf![0];
  }
}

/** A route without a security requirement is public: say so, rather than inherit the document's bearer default. */
function markPublic(operation: OperationObject): void {
  if (!operation.security) operation.security = [];
}

/**
 * The header, and on a signed-in route the answers it brings: a retry while the first request runs (409), the
 * same key with another body (422), a key of the wrong length (400). A status the route already declares
 * keeps its description, with the code added.
 */
function declareIdempotencyKey(operation: OperationObject, errorRef: ReferenceObject): void {
  const others = (operation.parameters ?? []).filter(
    (parameter) => !('name' in parameter && parameter.name === IDEMPOTENCY_KEY_HEADER.name),
  );
  const header: ParameterObject = { ...IDEMPOTENCY_KEY_HEADER, schema: { ...IDEMPOTENCY_KEY_HEADER.schema } };
  operation.parameters = [...others, header];
  if (operation.security?.length === 0) {
    header.description = IGNORED_IDEMPOTENCY_KEY_DESCRIPTION;
    return;
  }
  declareError(
    operation,
    errorRef,
    '400',
    'VALIDATION_FAILED',
    'An Idempotency-Key outside 1..255 characters',
  );
  declareError(
    operation,
    errorRef,
    '409',
    'IDEMPOTENCY_KEY_IN_USE',
    'The first request with this key still runs',
  );
  declareError(
    operation,
    errorRef,
    '422',
    'IDEMPOTENCY_KEY_REUSED',
    'This key came with another body before',
  );
}

function declareError(
  operation: OperationObject,
  errorRef: ReferenceObject,
  status: string,
  code: string,
  description: string,
): void {
  const existing = operation.responses[status];
  if (!existing) {
    operation.responses[status] = errorResponse(errorRef, `${description} (${code})`);
    return;
  }
  if ('$ref' in existing || existing.description.includes(code)) return;
  existing.description = `${existing.description}; or ${description.toLowerCase()} (${code})`;
}

/**
 * What any route may answer whatever it does: 503 when PostgreSQL is unreachable (every route reads it;
 * a route that declares its own 503, like /health, keeps it) and, with a body, 413 beyond 1 MiB.
 */
function declareCommonErrors(operation: OperationObject, errorRef: ReferenceObject): void {
  const responses = operation.responses;
  if (!responses['503'])
    responses['503'] = errorResponse(errorRef, 'The database is unreachable; retry later (UNAVAILABLE)');
  if (operation.requestBody && !responses['413'])
    responses['413'] = errorResponse(errorRef, 'The body is over 1 MiB (PAYLOAD_TOO_LARGE)');
}

/**
 * `@ApiProduces('image/svg+xml')` and its kind set one media type for all of a route's answers; but the
 * server answers every error with the JSON error body, so the document says `application/json` for them.
 */
function errorsAreJson(operation: OperationObject, errorRef: ReferenceObject): void {
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response || !isError(status) || '$ref' in response) continue;
    const answer = response;
    const schema = firstSchema(answer) ?? errorRef;
    answer.content = { [JSON_MEDIA]: { schema } };
  }
}

function nameOperation(
  document: OpenAPIObject,
  operation: OperationObject,
  route: { method: Method; path: string; prefix: string },
): void {
  if (operation.operationId && !operation.operationId.startsWith(DERIVED_OPERATION_ID)) return;
  operation.operationId = deriveOperationId({
    ...route,
    returnsList: returnsList(document, operation),
  });
}

/** A list is an array, or a page `{items, nextCursor}` (docs/http-api.md, "Pagination"). */
function returnsList(document: OpenAPIObject, operation: OperationObject): boolean {
  const ok = operation.responses['200'];
  if (!ok || '$ref' in ok) return false;
  const schema = resolve(document, firstSchema(ok));
  if (!schema) return false;
  return schema.type === 'array' || Boolean(schema.properties?.items && schema.properties?.nextCursor);
}

function resolve(
  document: OpenAPIObject,
  schema: SchemaObject | ReferenceObject | undefined,
): SchemaObject | undefined {
  if (!schema) return undefined;
  if (!('$ref' in schema)) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  const target = document.components?.schemas?.[name];
  return target && !('$ref' in target) ? target : undefined;
}

function firstSchema(response: ResponseObject): SchemaObject | ReferenceObject | undefined {
  return Object.values(response.content ?? {}).find((media) => media.schema)?.schema;
}

function isError(status: string): boolean {
  return status === 'default' || /^[45]/.test(status);
}

function errorResponse(errorRef: ReferenceObject, description: string): ResponseObject {
  return { description, content: { [JSON_MEDIA]: { schema: errorRef } } };
}
