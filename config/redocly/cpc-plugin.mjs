// Redocly lint rules of this project (see config/redocly.yaml, which says why each replaces a built-in one).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The schemas of a path's path parameters, by name, from its operations (and the path item itself). */
function pathParameterSchemas(pathItem) {
  const schemas = new Map();
  const operations = METHODS.map((method) => pathItem[method]).filter(Boolean);
  for (const holder of [pathItem, ...operations]) {
    for (const parameter of holder.parameters ?? []) {
      if (parameter && parameter.in === 'path' && parameter.schema)
        schemas.set(parameter.name, parameter.schema);
    }
  }
  return schemas;
}

/** Can a request's segment `literal` fill the template `{name}` whose schema is `schema`? */
function canFill(schema, literal) {
  if (!schema) return true;
  if (schema.format === 'uuid' && !UUID.test(literal)) return false;
  if (schema.pattern && !new RegExp(schema.pattern).test(literal)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(literal)) return false;
  return true;
}

function segmentsMayMatch(a, schemasA, b, schemasB) {
  const templateA = /^\{(.+)\}$/.exec(a);
  const templateB = /^\{(.+)\}$/.exec(b);
  if (templateA && templateB) return true;
  if (templateA) return canFill(schemasA.get(templateA[1]), b);
  if (templateB) return canFill(schemasB.get(templateB[1]), a);
  return a === b;
}

/**
 * Like the built-in no-ambiguous-paths, but a template whose parameter is a UUID (or has a pattern or an enum)
 * does not match a literal segment it cannot hold: `/batches/{id}/isolation` with `id` a UUID cannot serve
 * `/batches/by-din/X`, so the two are not ambiguous.
 */
function NoAmbiguousPaths() {
  return {
    Paths(paths, { report, location }) {
      const seen = [];
      for (const [path, pathItem] of Object.entries(paths)) {
        const segments = path.split('/');
        const schemas = pathParameterSchemas(pathItem ?? {});
        const clash = seen.find(
          (other) =>
            other.segments.length === segments.length &&
            segments.every((segment, index) =>
              segmentsMayMatch(segment, schemas, other.segments[index], other.schemas),
            ),
        );
        if (clash)
          report({
            message: `Paths \`${clash.path}\` and \`${path}\` can match the same request.`,
            location: location.child([path]).key(),
          });
        seen.push({ path, segments, schemas });
      }
    },
  };
}

export default function cpcPlugin() {
  return {
    id: 'cpc',
    rules: { oas3: { 'no-ambiguous-paths': NoAmbiguousPaths } },
  };
}
