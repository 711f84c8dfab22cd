import { ErrorCode } from './error-code';

/**
 * A rule of the domain said no. Services throw it; the exception filter alone turns the code into an HTTP
 * status and the contract's error body. It carries no Nest types, so pure domain code can throw it too.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** A status other than the code's own in ERROR_STATUS, where the contract says so (422 VALIDATION_FAILED). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Shorthand for the one 404 everyone needs: missing, or hidden from the caller's clinic. */
export function notFound(entity: string, id?: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `${entity} not found`, id ? { id } : {});
}

/**
 * Well-formed input that the record contradicts (a follow-up naming a dose given into the other knee): the
 * contract answers it as 422 VALIDATION_FAILED, after the 404 and 409 checks, not as the pipe's 400.
 */
export function unprocessable(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, details, 422);
}
