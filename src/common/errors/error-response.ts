import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { constraintCode } from './constraint-codes';
import { DomainError } from './domain-error';
import { ERROR_STATUS, ErrorCode } from './error-code';

/**
 * Codes outside the contract's enum that the filter can still send: INTERNAL_ERROR for an unforeseen failure
 * (a bug, logged with its stack) and HTTP_ERROR for a framework status with no code of its own. The OpenAPI
 * document lists them, so that a client generated from it accepts every body the server can send.
 */
export const UNFORESEEN_ERROR_CODES = ['INTERNAL_ERROR', 'HTTP_ERROR'] as const;
export type WireErrorCode = ErrorCode | (typeof UNFORESEEN_ERROR_CODES)[number];

export interface ErrorBody {
  statusCode: number;
  code: WireErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** True when the cause was not foreseen (a bug): it is logged with its stack. */
  unexpected: boolean;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.NOT_FOUND,
  409: ErrorCode.INVALID_TRANSITION,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.VALIDATION_FAILED,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

// Connection-level failures: the database is unreachable or going away, which is an outage (503), not a bug.
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'connect ECONNREFUSED',
  // pg's client-side deadline (query_timeout, config/data-source.ts): the server did not answer in time.
  'Query read timeout',
];

/**
 * SQLSTATEs that mean "no usable session", whatever the statement: the database refuses new sessions
 * (55000 "not currently accepting connections", 53300 too many, 57P03 starting up or shutting down), ended
 * ours (57P01, 57P02), is gone or not allowed for us (3D000, 28000, 28P01), or cancelled a statement that
 * ran past statement_timeout (57014). Retrying later can succeed; the request itself was never the problem.
 */
const UNAVAILABLE_STATES = new Set(['53300', '53000', '57014', '3D000', '28000', '28P01']);

export function errorBody(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorResponse {
  const status = ERROR_STATUS[code];
  return { status, body: { statusCode: status, code, message, details }, unexpected: false };
}

/**
 * Turns anything thrown while serving a request into the contract's status and error body. Fastify's own
 * errors (malformed JSON, a body over 1 MiB, a wrong content type) reach here as HttpExceptions, mapped by
 * their status.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof DomainError) return errorBody(error.code, error.message, error.details);
  if (error instanceof HttpException) return fromHttpException(error);
  const database = fromDatabaseError(error);
  if (database) return database;
  return {
    status: 500,
    body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error', details: {} },
    unexpected: true,
  };
}

function fromHttpException(error: HttpException): ErrorResponse {
  const status = error.getStatus();
  const code = STATUS_CODES[status];
  if (!code) {
    return {
      status,
      body: { statusCode: status, code: 'HTTP_ERROR', message: error.message, details: {} },
      unexpected: status >= 500,
    };
  }
  const message = status === 404 ? 'Not found' : error.message;
  return { ...errorBody(code, message), status, body: { statusCode: status, code, message, details: {} } };
}

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

function fromDatabaseError(error: unknown): ErrorResponse | null {
  const pg: PgError | undefined =
    error instanceof QueryFailedError ? (error.driverError as PgError) : isPgError(error) ? error : undefined;
  const errno = (error as { code?: string } | null)?.code;
  if (errno && CONNECTION_ERRNOS.has(errno)) return unavailable();
  const message = (error as { message?: string } | null)?.message ?? '';
  if (CONNECTION_MESSAGES.some((text) => message.includes(text))) return unavailable();
  if (!pg?.code) return null;
  const sqlState = pg.code;
  if (UNAVAILABLE_STATES.has(sqlState) || isRefusedSession(pg, error)) return unavailable();
  if (sqlState.startsWith('23')) {
    const registered = constraintCode(pg.constraint);
    if (registered) return errorBody(registered, messageFor(registered), { constraint: pg.constraint });
    if (sqlState === '23505')
      return errorBody(ErrorCode.DUPLICATE, 'A record with these values exists already', {
        constraint: pg.constraint,
      });
    return errorBody(ErrorCode.INVALID_TRANSITION, 'The database refused this change', {
      constraint: pg.constraint,
    });
  }
  // Data exceptions: a value the database cannot hold (out of range, bad encoding) is bad input.
  if (sqlState.startsWith('22'))
    return errorBody(ErrorCode.VALIDATION_FAILED, 'A value is out of range or malformed');
  // Lost races that outlived the retries: the client may try again.
  if (sqlState === '40001' || sqlState === '40P01' || sqlState === '55P03') {
    return errorBody(ErrorCode.UNAVAILABLE, 'The database is busy; retry the request');
  }
  // Connection exceptions, shutdown, too many connections, cannot connect now.
  if (sqlState.startsWith('08') || sqlState.startsWith('57P')) return unavailable();
  return null;
}

/**
 * 55000 (object not in prerequisite state) is also a statement's error elsewhere; it is an outage when it is
 * the database refusing the session, which happens while connecting: the pool's error arrives raw, not as a
 * statement's QueryFailedError.
 */
function isRefusedSession(pg: PgError, error: unknown): boolean {
  if (pg.code !== '55000') return false;
  return !(error instanceof QueryFailedError) || /accepting connections/i.test(pg.message ?? '');
}

function isPgError(error: unknown): error is PgError {
  return typeof error === 'object' && error !== null && 'severity' in error && 'code' in error;
}

function unavailable(): ErrorResponse {
  return errorBody(ErrorCode.UNAVAILABLE, 'The database is unreachable; retry later');
}

function messageFor(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.POSITION_OCCUPIED:
      return 'The storage position is occupied';
    case ErrorCode.ALREADY_DECIDED:
      return 'This has been decided already';
    case ErrorCode.DUPLICATE:
      return 'A record with these values exists already';
    default:
      return 'The database refused this change';
  }
}
