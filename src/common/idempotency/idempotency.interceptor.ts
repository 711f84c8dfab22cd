import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { appConfig, AppConfig } from '../../../config/app.config';
import { canonicalJson } from '../../audit/canonical';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { toErrorResponse } from '../errors/error-response';
import { AuthUser } from '../transaction/auth-user';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** A stored answer sent again verbatim; the exception filter writes it out. */
export class ReplayedResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/**
 * `Idempotency-Key` on POST (after the IETF draft and Stripe): the first answer (2xx or 4xx) to a key is
 * stored and returned again for the same user, method, path and body without a second effect.
 *
 * The fingerprint is an HMAC under a server key, so bodies with passwords (signatures) can be told apart
 * without storing anything from which a password could be guessed offline.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.user) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (key.length < 1 || key.length > 255) {
      return throwError(
        () =>
          new DomainError(ErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be 1 to 255 characters', {
            fields: [{ field: 'Idempotency-Key', errors: ['must be 1 to 255 characters'] }],
          }),
      );
    }
    const userId = request.user.id;
    const fingerprint = this.fingerprint(request);
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;

    return from(this.begin(userId, key, fingerprint)).pipe(
      mergeMap((replay) => {
        if (replay) return throwError(() => replay);
        return next.handle().pipe(
          mergeMap((body: unknown) =>
            from(this.keys.complete(userId, key, successStatus, body ?? null)).pipe(mergeMap(() => of(body))),
          ),
          catchError((error: unknown) => {
            const { status, body } = toErrorResponse(error);
            const settle =
              status < 500 ? this.keys.complete(userId, key, status, body) : this.keys.release(userId, key);
            return from(settle).pipe(mergeMap(() => throwError(() => error)));
          }),
        );
      }),
    );
  }

  /** Claims the key, or says why not: a replay of the stored answer, or an error. */
  private async begin(userId: string, key: string, fingerprint: string): Promise<ReplayedResponse | null> {
    const existing = await this.keys.claim(userId, key, fingerprint);
    if (!existing) return null;
    if (existing.fingerprint !== fingerprint) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used with a different request',
      );
    }
    if (existing.state === 'DONE')
      return new ReplayedResponse(existing.responseStatus ?? 200, existing.responseBody);
    if (existing.stale && (await this.keys.takeOver(userId, key))) return null;
    throw new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_IN_USE,
      'A request with this Idempotency-Key is still running',
    );
  }

  private fingerprint(request: FastifyRequest): string {
    return createHmac('sha256', this.env.jwtSecret)
      .update(canonicalJson([request.method, request.url, request.body ?? null]))
      .digest('hex');
  }
}
