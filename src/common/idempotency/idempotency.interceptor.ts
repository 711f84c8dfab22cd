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
import { defer, lastValueFrom, Observable, throwError } from 'rxjs';
import type { QueryRunner } from 'typeorm';
import { appConfig, AppConfig } from '../../../config/app.config';
import { canonicalJson } from '../json/canonical-json';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { toErrorResponse } from '../errors/error-response';
import { AuthUser } from '../transaction/auth-user';
import { RequestTransactions } from '../transaction/request-transaction';
import { IdempotencyRepository, StoredKey } from './idempotency.repository';
import { ReplayedResponse } from '../errors/replayed-response';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on POST (after the IETF draft and Stripe): the first final answer to a key is
 * stored and returned again for the same user, method, path and body without a second effect.
 *
 * The request runs in one transaction of its own (RequestTransactions): the key is locked, the handler's
 * writes are made, and the answer is saved under the key, then all of it commits at once. A process that
 * dies at any point leaves either nothing (the key is free, nothing happened) or the effects with their
 * answer; a retry never runs the command a second time and never waits for a dead request.
 *
 * The fingerprint is an HMAC under a server key, so bodies with passwords (signatures) can be told apart
 * without storing anything from which a password could be guessed offline.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly requests: RequestTransactions,
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
    const claim: Claim = {
      userId: request.user.id,
      key,
      fingerprint: this.fingerprint(request),
      successStatus:
        this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
        HttpStatus.CREATED,
    };
    return defer(() => this.requests.run((runner) => this.handle(runner, claim, next)));
  }

  /** Inside the request's transaction: replays a stored answer, or runs the handler and saves its answer. */
  private async handle(runner: QueryRunner, claim: Claim, next: CallHandler): Promise<unknown> {
    const { userId, key, fingerprint } = claim;
    if (!(await this.keys.tryLock(runner.manager, userId, key))) throw inUse();
    const stored = await this.keys.find(runner.manager, userId, key);
    // A replay is thrown, not returned: the exception filter writes it out verbatim, past the serializer.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (stored) throw replayOf(stored, fingerprint);
    // A savepoint around the handler: a statement of it that failed aborts only the savepoint, and a 4xx
    // answer can still be saved under the key.
    await runner.startTransaction();
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.settleFailure(runner, claim, error);
      throw error;
    }
    await runner.commitTransaction();
    await this.keys.save(runner.manager, userId, key, fingerprint, claim.successStatus, body ?? null);
    await runner.commitTransaction();
    return body;
  }

  /**
   * A final answer (see {@link isFinalAnswer}) is saved under the key with whatever the request did before
   * it (a counted failed signature). Any other rolls back and leaves the key free, so a retry runs afresh.
   */
  private async settleFailure(runner: QueryRunner, claim: Claim, error: unknown): Promise<void> {
    const { status, body } = toErrorResponse(error);
    if (!isFinalAnswer(status, body.code)) return; // RequestTransactions.run rolls the whole transaction back
    try {
      await runner.commitTransaction();
    } catch {
      // The failed statement left the savepoint aborted: undo it, keep the transaction.
      await runner.rollbackTransaction();
    }
    await this.keys.save(runner.manager, claim.userId, claim.key, claim.fingerprint, status, body);
    await runner.commitTransaction();
  }

  private fingerprint(request: FastifyRequest): string {
    return createHmac('sha256', this.env.jwtSecret)
      .update(canonicalJson([request.method, request.url, request.body ?? null]))
      .digest('hex');
  }
}

/**
 * Answers that stay true for the same request, and so are replayed: 2xx, and 4xx about the request itself
 * (400, 409 conflicts, 413, 422...). Not those about the moment or the caller's standing, which a retry may
 * find changed (docs/http-api.md, "Idempotency"): 401 (signed out, token revoked), 403 (role changed), 404 (not
 * found, or not in the caller's clinic: either may change), 409 IDEMPOTENCY_KEY_IN_USE, 429 (a lock that
 * lifts), and every 5xx (an outage).
 */
export function isFinalAnswer(status: number, code: string): boolean {
  if (status >= 500 || [401, 403, 404, 429].includes(status)) return false;
  return code !== String(ErrorCode.IDEMPOTENCY_KEY_IN_USE);
}

interface Claim {
  userId: string;
  key: string;
  fingerprint: string;
  successStatus: number;
}

function inUse(): DomainError {
  return new DomainError(
    ErrorCode.IDEMPOTENCY_KEY_IN_USE,
    'A request with this Idempotency-Key is still running',
  );
}

/**
 * What a stored key answers. A row left `IN_FLIGHT` by an earlier version may or may not have had its
 * effects committed, so it is never run again: it stays in use until it is purged.
 */
function replayOf(stored: StoredKey, fingerprint: string): DomainError | ReplayedResponse {
  if (stored.fingerprint !== fingerprint) {
    return new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This Idempotency-Key was used with a different request',
    );
  }
  if (stored.state !== 'DONE') return inUse();
  return new ReplayedResponse(stored.responseStatus ?? 200, stored.responseBody);
}
