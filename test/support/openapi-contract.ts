import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks answers against the app's own OpenAPI document with a real JSON Schema validator (ajv, which reads
 * OpenAPI 3.0's `nullable`), so a schema that a generated client or a gateway would apply is tested as such.
 */
export class OpenApiContract {
  private readonly ajv: Ajv;

  constructor(readonly document: { paths: Record<string, Record<string, unknown>> }) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
  }

  /** The validator of one answer: `responseOf('get', '/api/v1/doses/{id}', 200)`. */
  responseOf(method: string, path: string, status: number): ValidateFunction {
    const pointer = [
      'paths',
      path,
      method,
      'responses',
      String(status),
      'content',
      'application/json',
      'schema',
    ]
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    return this.ajv.compile({ $ref: `openapi#/${pointer}` });
  }

  /** A validator of any schema that may `$ref` the document's components. */
  schema(schema: Record<string, unknown>): ValidateFunction {
    return this.ajv.compile(schema);
  }
}

/** The validator's verdict with its reasons, so a failing expectation says which field broke the contract. */
export function verdict(validate: ValidateFunction, body: unknown): string[] {
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
