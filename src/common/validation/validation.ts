import { Param, ParseUUIDPipe, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { Clock } from '../clock/clock';
import { ApiParam } from '@nestjs/swagger';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { withValidationClock } from './validation-clock';

export interface FieldError {
  field: string;
  errors: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationFailed(fields: FieldError[]): DomainError {
  const names = fields.map((f) => f.field).join(', ');
  return new DomainError(ErrorCode.VALIDATION_FAILED, `Invalid input: ${names}`, { fields });
}

/** Runs every validation with the application's Clock, so "not in the future" means the Clock's future. */
class ClockedValidationPipe extends ValidationPipe {
  constructor(
    private readonly clock: Clock,
    options: ValidationPipeOptions,
  ) {
    super(options);
  }

  protected override validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    return withValidationClock(this.clock, () => super.validate(object, options));
  }
}

/**
 * The global pipe: unknown properties are refused (never silently stored), types are converted, and every
 * failure becomes `400 VALIDATION_FAILED` listing the fields.
 */
export function createValidationPipe(clock: Clock = new Clock()): ValidationPipe {
  return new ClockedValidationPipe(clock, {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

/**
 * A path id: not a UUID is `400 VALIDATION_FAILED`, checked before anything is looked up. It also tells the
 * OpenAPI document the parameter is a UUID, which keeps `/batches/{id}/...` apart from `/batches/by-din/{din}`
 * for clients and validating proxies.
 */
export const UuidParam =
  (name = 'id'): ParameterDecorator =>
  (target, method, index) => {
    Param(
      name,
      new ParseUUIDPipe({
        exceptionFactory: () => validationFailed([{ field: name, errors: [`${name} must be a UUID`] }]),
      }),
    )(target, method, index);
    const descriptor = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (method !== undefined && descriptor)
      ApiParam({ name, type: 'string', format: 'uuid' })(target, method, descriptor);
  };
