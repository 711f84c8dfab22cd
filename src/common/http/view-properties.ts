import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/**
 * Response-side property decorators for the OpenAPI document, so a view writes each kind of field one way.
 *
 * The document is OpenAPI 3.0 (what @nestjs/swagger emits). There `nullable: true` next to `allOf: [{$ref}]`
 * (what `@ApiProperty({ type: Dto, nullable: true })` produces) does not admit null: `nullable` only widens a
 * `type` at its own level, and the referenced schema still refuses null. A nullable object is therefore
 * "one of the object, or null" below, which validators and client generators both read as `Dto | null`.
 */
interface ViewPropertyOptions {
  description?: string;
  example?: unknown;
  nullable?: boolean;
}

/** In OpenAPI 3.0 there is no `null` type: this schema admits null and nothing else. */
const ONLY_NULL = { type: 'object', nullable: true, enum: [null] };

/** An object property that is null when absent (a receipt not yet made, a decision not yet signed). */
export function NullableObjectProperty(dto: new () => object, description?: string): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    // The $ref below names the schema; registering the class makes the document define it.
    ApiExtraModels(dto)(target.constructor);
    ApiProperty({
      oneOf: [{ $ref: getSchemaPath(dto) }, ONLY_NULL],
      ...(description !== undefined ? { description } : {}),
    })(target, key);
  };
}

/** A moment, ISO 8601 in UTC (`date-time`). */
export function DateTimeProperty(options: ViewPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: String, format: 'date-time', ...options });
}

export function UuidProperty(options: ViewPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: String, format: 'uuid', ...options });
}

/** A whole number (`integer`, not `number`): cell counts, ordinals, passage numbers. */
export function IntegerProperty(options: ViewPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'integer', ...options });
}
