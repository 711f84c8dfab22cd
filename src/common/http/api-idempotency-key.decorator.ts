import { ApiHeader } from '@nestjs/swagger';

/**
 * Documents the optional `Idempotency-Key` header that every authenticated POST accepts (the global
 * interceptor implements it). Every module's POST routes use it.
 */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1..255 characters. The same key and body from the same user returns the first answer again without a second effect; ' +
      'the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, a retry while the first is running 409 IDEMPOTENCY_KEY_IN_USE.',
  });
