import { ApiHeader } from '@nestjs/swagger';

/**
 * The optional `Idempotency-Key` header of every POST, as the OpenAPI document declares it. The document
 * finisher (src/common/openapi/finish-document.ts) puts it on every POST, so no route can forget it; the
 * global interceptor implements it (docs/http-api.md, "Idempotency").
 */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    '1..255 characters. The same key and body from the same user returns the first answer again without a second effect; ' +
    'the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, a retry while the first is running 409 IDEMPOTENCY_KEY_IN_USE.',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
};

/** On a public route there is no signed-in user to scope a key to: the header is accepted and ignored. */
export const IGNORED_IDEMPOTENCY_KEY_DESCRIPTION =
  'Accepted and ignored: this route has no signed-in user to scope a key to, and it changes no record.';

/**
 * Documents the header on one route. The document finisher declares it on every POST anyway; this decorator
 * stays for routes that want it visible beside their other decorators.
 */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER.name,
    required: false,
    description: IDEMPOTENCY_KEY_HEADER.description,
    schema: IDEMPOTENCY_KEY_HEADER.schema,
  });
