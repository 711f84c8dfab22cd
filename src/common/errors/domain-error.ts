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
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Shorthand for the one 404 everyone needs: missing, or hidden from the caller's clinic. */
export function notFound(entity: string, id?: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `${entity} not found`, id ? { id } : {});
}
