import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  ValidateBy,
} from 'class-validator';
import { FlagType } from '../../flags/domain/flag-type';
import { ALL_FLAG_TYPES } from '../domain/flag-event';

const FLAG_TYPES: string[] = Object.values(FlagType);

/**
 * A list of distinct flag types; with `allowAll`, `["*"]` alone means every type. Validates and documents at
 * once, like the fields of common/validation/fields.ts.
 */
export function FlagTypeListField(options: {
  allowAll: boolean;
  minItems: number;
  optional?: boolean;
  description: string;
  example: string[];
}): PropertyDecorator {
  const values = options.allowAll ? [...FLAG_TYPES, ALL_FLAG_TYPES] : FLAG_TYPES;
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'string', enum: values },
      minItems: options.minItems,
      maxItems: FLAG_TYPES.length,
      uniqueItems: true,
      required: !options.optional,
      description: options.description,
      example: options.example,
    }),
    ...(options.optional ? [IsOptional()] : []),
    IsArray(),
    ArrayMinSize(options.minItems),
    ArrayMaxSize(FLAG_TYPES.length),
    ArrayUnique(),
    IsIn(values, { each: true, message: `each value in $property must be one of ${values.join(', ')}` }),
    ValidateBy({
      name: 'starAlone',
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || !value.includes(ALL_FLAG_TYPES) || value.length === 1,
        defaultMessage: () => `$property may be ["*"] alone, meaning every flag type`,
      },
    }),
  );
}
