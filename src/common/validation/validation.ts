import { Param, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

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

/**
 * The global pipe: unknown properties are refused (never silently stored), types are converted, and every
 * failure becomes `400 VALIDATION_FAILED` listing the fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
