import { getMetadataStorage } from 'class-validator';
import { ContractApp, OpenApiDocument, startContractApp } from './support/contract-app';
import { resolveSchema, Schema } from './support/schema-walk';

interface ValidationRule {
  name?: string;
  propertyName: string;
  each?: boolean;
}

/** What a validator implies the document must say of the property it guards. */
const IMPLIED: Record<
  string,
  { says: string; holds: (schema: Schema, document: OpenApiDocument) => boolean }
> = {
  isInt: { says: 'type: integer', holds: (s) => s.type === 'integer' },
  isPastEventTime: { says: 'format: date-time', holds: (s) => s.format === 'date-time' },
  isZonedTimestamp: { says: 'format: date-time', holds: (s) => s.format === 'date-time' },
  isUuid: { says: 'format: uuid', holds: (s) => s.format === 'uuid' },
  isBoolean: { says: 'type: boolean', holds: (s) => s.type === 'boolean' },
  isIn: { says: 'an enum', holds: (s, d) => Boolean(enumOf(s, d)) },
  isEnum: { says: 'an enum', holds: (s, d) => Boolean(enumOf(s, d)) },
};

function enumOf(schema: Schema, document: OpenApiDocument): unknown[] | undefined {
  return schema.enum ?? resolveSchema(document, schema.allOf?.[0] ?? schema)?.enum;
}

/** Every schema of the document, by where it is: components, and inline request and response bodies. */
function allSchemas(document: OpenApiDocument): { at: string; schema: Schema }[] {
  const found: { at: string; schema: Schema }[] = [];
  const visit = (at: string, schema: Schema | undefined): void => {
    if (!schema || schema.$ref) return;
    found.push({ at, schema });
    for (const [name, property] of Object.entries(schema.properties ?? {})) visit(`${at}.${name}`, property);
    if (schema.items) visit(`${at}[]`, schema.items);
    for (const branch of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
      visit(at, branch);
  };
  const components = (document.components as { schemas: Record<string, Schema> }).schemas;
  for (const [name, schema] of Object.entries(components)) visit(name, schema);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const { requestBody, responses } = operation as {
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      };
      const route = `${method.toUpperCase()} ${path}`;
      for (const [media, body] of Object.entries(requestBody?.content ?? {}))
        visit(`${route} request ${media}`, body.schema);
      for (const [status, response] of Object.entries(responses ?? {}))
        for (const [media, body] of Object.entries(response.content ?? {}))
          if (media.includes('json')) visit(`${route} ${status}`, body.schema);
    }
  }
  return found;
}

/**
 * The document read as a client generator and a validator read it: what the DTOs validate is what they
 * declare, a nullable object accepts null, and no object or list is left without a shape.
 */
describe('the schemas of the OpenAPI document', () => {
  let contract: ContractApp;

  beforeAll(async () => {
    contract = await startContractApp();
  }, 60_000);
  afterAll(async () => {
    await contract?.close();
  });

  it('declares what the validators check: integers, timestamps, UUIDs, booleans, enums', () => {
    const document = contract.document;
    const components = (document.components as { schemas: Record<string, Schema> }).schemas;
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<{ name: string }, ValidationRule[]>;
    };
    const problems: string[] = [];
    for (const [target, rules] of storage.validationMetadatas) {
      const schema = components[target.name];
      if (!schema) continue;
      for (const rule of rules) {
        const implied = rule.name ? IMPLIED[rule.name] : undefined;
        const property = schema.properties?.[rule.propertyName];
        if (!implied || !property) continue;
        const subject = rule.each ? (property.items ?? {}) : property;
        if (
          !implied.holds(resolveSchema(document, subject) ?? subject, document) &&
          !implied.holds(subject, document)
        )
          problems.push(
            `  ${target.name}.${rule.propertyName}: validated by ${rule.name}, the schema lacks ${implied.says}`,
          );
      }
    }
    if (problems.length > 0)
      throw new Error(
        `${problems.length} schema(s) disagree with their validators:\n${[...new Set(problems)].sort().join('\n')}`,
      );
  });

  it('leaves no nullable object that validators would refuse as null, and no shapeless object or list', () => {
    const problems: string[] = [];
    for (const { at, schema } of allSchemas(contract.document)) {
      if (schema.nullable && schema.allOf)
        problems.push(
          `  ${at}: nullable beside allOf: the referenced schema still refuses null, so validators do`,
        );
      if (schema.type === 'array' && (!schema.items || Object.keys(schema.items).length === 0))
        problems.push(`  ${at}: an array without items`);
      const free = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
      // `{ type: object, nullable, enum: [null] }` is OpenAPI 3.0's "null and nothing else", the second branch
      // of a nullable object's oneOf (src/common/http/view-properties.ts), not a shapeless object.
      const onlyNull = schema.enum?.length === 1 && schema.enum[0] === null;
      if (
        schema.type === 'object' &&
        !schema.properties &&
        !free &&
        !schema.allOf &&
        !schema.oneOf &&
        !onlyNull
      )
        problems.push(`  ${at}: an object without properties`);
    }
    if (problems.length > 0)
      throw new Error(`${problems.length} schema problem(s):\n${[...new Set(problems)].sort().join('\n')}`);
  });
});
