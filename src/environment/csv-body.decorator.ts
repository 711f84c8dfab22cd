import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { validationFailed } from '../common/validation/validation';

/**
 * The request's body as sent with `Content-Type: text/csv` (http-app.ts parses it as text), as bytes for the
 * CSV parser; any other body is 400 VALIDATION_FAILED. A custom decorator, so the JSON validation pipe does not
 * touch it.
 */
export const CsvBody = createParamDecorator((_data: unknown, context: ExecutionContext): Buffer => {
  const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
  if (typeof body !== 'string') {
    throw validationFailed([{ field: 'body', errors: ['the body must be a CSV file sent as text/csv'] }]);
  }
  return Buffer.from(body, 'utf8');
});
