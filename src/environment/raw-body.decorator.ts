import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { validationFailed } from '../common/validation/validation';

/**
 * The request's body as the bytes sent with `Content-Type: text/csv` (see http-app.ts); any other body is
 * 400 VALIDATION_FAILED. A custom decorator, so the JSON validation pipe does not touch the bytes.
 */
export const CsvBody = createParamDecorator((_data: unknown, context: ExecutionContext): Buffer => {
  const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
  if (!Buffer.isBuffer(body)) {
    throw validationFailed([{ field: 'body', errors: ['the body must be a CSV file sent as text/csv'] }]);
  }
  return body;
});
