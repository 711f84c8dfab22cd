import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, ValidationArguments } from 'class-validator';
import { IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { UuidField } from '../../common/validation/fields';
import { FUTURE_TOLERANCE_MS, parseZonedTimestamp } from '../../common/validation/past-event.validator';
import { validationNow } from '../../common/validation/validation-clock';
import { MAX_TEMPERATURE_C, MIN_TEMPERATURE_C } from '../domain/logger-csv';

/** A batch holds at most this many readings (docs/environment.md, "Readings"). */
export const MAX_READINGS_PER_BATCH = 10_000;
const MAX_PROBLEMS_NAMED = 20;

export class ReadingDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-11-24T09:30:00Z',
    description: 'ISO 8601 with a zone; at most 5 minutes ahead',
  })
  at!: string;

  @ApiProperty({ type: 'number', minimum: MIN_TEMPERATURE_C, maximum: MAX_TEMPERATURE_C, example: -186.4 })
  temperatureC!: number;
}

/**
 * The problems of a readings list, at most MAX_PROBLEMS_NAMED of them: each element must be an object with
 * exactly `at` (ISO 8601 with a zone, at most 5 minutes ahead) and `temperatureC` (a number in range). Checked
 * in one loop rather than by a nested DTO per reading: ten thousand class instances would cost more than
 * storing them.
 */
export function readingsProblems(value: unknown, now: number = validationNow().getTime()): string[] {
  if (!Array.isArray(value)) return ['readings must be an array'];
  if (value.length < 1 || value.length > MAX_READINGS_PER_BATCH)
    return [`readings must hold 1 to ${MAX_READINGS_PER_BATCH} readings`];
  const problems: string[] = [];
  for (let i = 0; i < value.length && problems.length < MAX_PROBLEMS_NAMED; i++) {
    const reading: unknown = value[i];
    if (typeof reading !== 'object' || reading === null || Array.isArray(reading)) {
      problems.push(`readings.${i} must be an object`);
      continue;
    }
    const { at, temperatureC, ...rest } = reading as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) problems.push(`readings.${i}.${unknown[0]} should not exist`);
    const instant = parseZonedTimestamp(at);
    if (instant === null) problems.push(`readings.${i}.at must be an ISO 8601 timestamp with a time zone`);
    else if (instant.getTime() > now + FUTURE_TOLERANCE_MS)
      problems.push(`readings.${i}.at must not be more than 5 minutes in the future`);
    if (
      typeof temperatureC !== 'number' ||
      !Number.isFinite(temperatureC) ||
      temperatureC < MIN_TEMPERATURE_C ||
      temperatureC > MAX_TEMPERATURE_C
    ) {
      problems.push(
        `readings.${i}.temperatureC must be a number from ${MIN_TEMPERATURE_C} to ${MAX_TEMPERATURE_C}`,
      );
    }
  }
  return problems;
}

function ReadingsField(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    ApiProperty({
      type: [ReadingDto],
      minItems: 1,
      maxItems: MAX_READINGS_PER_BATCH,
      description: 'One reading per instant; a reading at an instant already stored is a duplicate',
    })(target, propertyName);
    registerDecorator({
      name: 'readings',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => readingsProblems(value).length === 0,
        defaultMessage: (args: ValidationArguments) => readingsProblems(args.value).join('; '),
      },
    });
  };
}

export class RecordReadingsDto {
  @UuidField({ description: 'The TANK or FREEZER read', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  unitId!: string;

  @ReadingsField()
  readings!: ReadingDto[];
}

export class ImportReadingsQuery {
  @UuidField({
    description: 'The TANK or FREEZER the logger was in',
    example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  })
  unitId!: string;
}

export class ReadingsAcceptedDto {
  @UuidProperty()
  unitId!: string;

  @IntegerProperty({ example: 600, description: 'Readings stored' })
  accepted!: number;

  @IntegerProperty({
    example: 0,
    description: 'Readings at an instant already stored (or twice in this batch): not stored again',
  })
  duplicates!: number;
}
