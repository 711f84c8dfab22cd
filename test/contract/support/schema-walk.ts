import type { OpenApiDocument } from './contract-app';

/** The parts of an OpenAPI 3.0 schema the contract checks read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
}

export function resolveSchema(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let depth = 0; current?.$ref && depth < 20; depth += 1) {
    const name = current.$ref.split('/').pop() ?? '';
    current = (document.components as { schemas: Record<string, Schema> }).schemas[name];
  }
  return current;
}

/** The properties a schema declares, through `allOf`, `oneOf` and `anyOf` (any branch counts). */
function declaredProperties(document: OpenApiDocument, schema: Schema): Map<string, Schema> | 'any' {
  const resolved = resolveSchema(document, schema) ?? {};
  if (resolved.additionalProperties === true || typeof resolved.additionalProperties === 'object')
    return 'any';
  const properties = new Map(Object.entries(resolved.properties ?? {}));
  for (const branch of [...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) {
    const more = declaredProperties(document, branch);
    if (more === 'any') return 'any';
    for (const [name, property] of more) properties.set(name, property);
  }
  return properties;
}

export interface UndeclaredField {
  /** `passages[].vesselCount` */
  where: string;
  message: string;
}

const UNDECLARED = 'the server sends this field; the schema does not declare it';
const SHAPELESS =
  'the server sends an object here; the schema gives it no properties (a generated client types it Record<string, never>)';
const ITEMLESS = 'the server sends a list here; the schema gives its items no type';

/**
 * The fields of a JSON body that its schema does not declare (`passages[].vesselCount`), and the objects and
 * lists it leaves shapeless: a client generated from the document cannot see what is there. Validators pass
 * them, because the document allows extra properties.
 */
export function undeclaredFields(
  document: OpenApiDocument,
  schema: Schema,
  body: unknown,
  at = '',
): UndeclaredField[] {
  if (body === null || typeof body !== 'object') return [];
  const resolved = resolveSchema(document, schema) ?? {};
  if (Array.isArray(body)) {
    const items = resolved.items ?? resolveSchema(document, resolved.allOf?.[0])?.items;
    if (!items || Object.keys(resolveSchema(document, items) ?? {}).length === 0)
      return body.length > 0 ? [{ where: at, message: ITEMLESS }] : [];
    return body.flatMap((item) => undeclaredFields(document, items, item, `${at}[]`));
  }
  const properties = declaredProperties(document, resolved);
  if (properties === 'any') return [];
  if (properties.size === 0) return Object.keys(body).length > 0 ? [{ where: at, message: SHAPELESS }] : [];
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => {
    const property = properties.get(name);
    const where = at ? `${at}.${name}` : name;
    if (!property) return [{ where, message: UNDECLARED }];
    return undeclaredFields(document, property, value, where);
  });
}
