import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { IsPastEventTime, IsZonedTimestamp } from './past-event.validator';

/**
 * Field decorators that validate and document at once (docs/architecture.md, "DTOs"): each writes the
 * class-validator rules and the OpenAPI schema from the same numbers, so the document cannot drift from what
 * the pipe accepts. Use them in request DTOs instead of pairing `@ApiProperty` with validators by hand.
 */
export interface FieldOptions {
  description?: string;
  example?: unknown;
  /** The property may be left out (absent, never null). */
  optional?: boolean;
}

type Doc = Omit<ApiPropertyOptions, 'required'>;

function documented(
  options: FieldOptions,
  schema: Doc,
  ...validators: PropertyDecorator[]
): PropertyDecorator {
  const { optional = false, description, example } = options;
  return applyDecorators(
    ApiProperty({
      ...schema,
      ...(description !== undefined ? { description } : {}),
      ...(example !== undefined ? { example } : {}),
      required: !optional,
    } as ApiPropertyOptions),
    ...(optional ? [IsOptional()] : []),
    ...validators,
  );
}

/** A whole number in [min, max]: `integer` in the document, `@IsInt` at the pipe. */
export function IntegerField(options: FieldOptions & { min: number; max: number }): PropertyDecorator {
  return documented(
    options,
    { type: 'integer', minimum: options.min, maximum: options.max },
    IsInt(),
    Min(options.min),
    Max(options.max),
  );
}

export interface NumberFieldOptions extends FieldOptions {
  min: number;
  max: number;
  /** The lower bound itself is refused (volumes: more than 0). */
  exclusiveMin?: boolean;
  /** At most this many decimals: the column holds that many, and a value it would round is refused. */
  decimals: number;
}

/** A finite number in [min, max] (or (min, max]) with at most `decimals` decimals. */
export function NumberField(options: NumberFieldOptions): PropertyDecorator {
  const { min, max, exclusiveMin = false, decimals } = options;
  return documented(
    options,
    { type: 'number', minimum: min, maximum: max, ...(exclusiveMin ? { exclusiveMinimum: true } : {}) },
    IsNumber({ allowNaN: false, allowInfinity: false }),
    MaxDecimals(decimals),
    exclusiveMin ? Above(min) : Min(min),
    Max(max),
  );
}

/** A percentage in [0, 100] with at most two decimals. */
export function PercentField(options: FieldOptions = {}): PropertyDecorator {
  return NumberField({ ...options, min: 0, max: 100, decimals: 2 });
}

/** The time something happened: ISO 8601 with a zone, not more than 5 minutes ahead (`date-time`). */
export function PastTimestampField(options: FieldOptions = {}): PropertyDecorator {
  return documented(
    {
      ...options,
      description: withRule(options.description, 'ISO 8601 with a zone; at most 5 minutes ahead'),
    },
    { type: String, format: 'date-time' },
    IsPastEventTime(),
  );
}

/** Any moment (an expiry): ISO 8601 with a zone (`date-time`). */
export function TimestampField(options: FieldOptions = {}): PropertyDecorator {
  return documented(
    { ...options, description: withRule(options.description, 'ISO 8601 with a zone') },
    { type: String, format: 'date-time' },
    IsZonedTimestamp(),
  );
}

export function UuidField(options: FieldOptions = {}): PropertyDecorator {
  return documented(options, { type: String, format: 'uuid' }, IsUUID('all'));
}

/** A list of distinct UUIDs, at most `maxItems`. */
export function UuidListField(options: FieldOptions & { maxItems: number }): PropertyDecorator {
  return documented(
    options,
    {
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      maxItems: options.maxItems,
      uniqueItems: true,
    },
    IsArray(),
    ArrayMaxSize(options.maxItems),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}

/** One of a TypeScript enum's values, or of a list of literals; `enumName` makes it a named schema. */
export function EnumField(
  values: Record<string, string> | readonly string[],
  options: FieldOptions & { enumName?: string } = {},
): PropertyDecorator {
  const list: string[] = isList(values) ? [...values] : Object.values(values);
  return documented(
    options,
    { type: String, enum: list, ...(options.enumName ? { enumName: options.enumName } : {}) },
    IsIn(list),
  );
}

/** Text of 1..max characters; `notBlank` refuses whitespace only (a reason, a name). */
export function TextField(options: FieldOptions & { max: number; notBlank?: boolean }): PropertyDecorator {
  return documented(
    options,
    { type: String, minLength: 1, maxLength: options.max },
    IsString(),
    Length(1, options.max),
    ...(options.notBlank ? [Matches(/\S/, { message: '$property must not be blank' })] : []),
  );
}

/**
 * The signer's own password under an electronic signature (re-authentication, 21 CFR 11.200): write-only in
 * the document, never stored or echoed.
 */
export function SignerPasswordField(): PropertyDecorator {
  return documented(
    {
      description: "The signer's own password (re-authentication); never stored",
      example: 'correct horse battery',
    },
    { type: String, minLength: 1, maxLength: 1024, writeOnly: true },
    IsString(),
    Length(1, 1024),
  );
}

export function BooleanField(options: FieldOptions = {}): PropertyDecorator {
  return documented(options, { type: Boolean }, IsBoolean());
}

/**
 * An object validated by its own DTO class. The value must be an object (a string, number or array is a
 * 400 naming this field, never a 500), then each of its fields is checked.
 */
export function NestedField(dto: new () => object, options: FieldOptions = {}): PropertyDecorator {
  return documented(
    options,
    { type: dto },
    IsObject(),
    ValidateNested(),
    Type(() => dto),
  );
}

function isList(values: Record<string, string> | readonly string[]): values is readonly string[] {
  return Array.isArray(values);
}

function withRule(description: string | undefined, rule: string): string {
  return description ? `${description} (${rule})` : rule;
}

/**
 * Whether a finite number has at most `decimals` decimals, by arithmetic rather than by reading its text
 * (class-validator's maxDecimalPlaces splits the text on '.', and `1e-7` has none: it threw, a 500). Scaled
 * by 10^decimals the value must be a whole number; the scaling itself is inexact in binary
 * (1.15 * 100 = 114.99999999999999), so a difference within two units of the last place is rounding noise.
 */
export function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  if (!Number.isFinite(scaled)) return false;
  return Math.abs(scaled - Math.round(scaled)) <= Math.abs(scaled) * 2 * Number.EPSILON;
}

function MaxDecimals(decimals: number): PropertyDecorator {
  return numberRule(
    'maxDecimals',
    (value) => hasAtMostDecimals(value, decimals),
    `at most ${decimals} decimals`,
  );
}

function Above(bound: number): PropertyDecorator {
  return numberRule('above', (value) => value > bound, `more than ${bound}`);
}

function numberRule(name: string, test: (value: number) => boolean, rule: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        // Not a finite number is IsNumber's message; this rule speaks only about numbers.
        validate: (value: unknown) => typeof value !== 'number' || !Number.isFinite(value) || test(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be ${rule}`,
      },
    });
  };
}

/** A list of distinct values of an enum, `minItems..maxItems` long (the knees of a plan). */
export function EnumListField(
  values: readonly string[],
  options: FieldOptions & { minItems: number; maxItems: number },
): PropertyDecorator {
  return documented(
    options,
    {
      type: 'array',
      items: { type: 'string', enum: [...values] },
      minItems: options.minItems,
      maxItems: options.maxItems,
      uniqueItems: true,
    },
    IsArray(),
    ArrayMinSize(options.minItems),
    ArrayMaxSize(options.maxItems),
    ArrayUnique(),
    IsIn([...values], { each: true }),
  );
}
