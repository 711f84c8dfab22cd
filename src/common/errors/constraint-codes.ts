import { ErrorCode } from './error-code';

/**
 * Database constraints that carry a rule of their own, by name, and the API code their violation means.
 * Modules register theirs next to the migration that creates the constraint; any other unique violation is
 * `DUPLICATE`, and any other integrity violation `INVALID_TRANSITION` (the database refused the state).
 */
const CONSTRAINT_CODES = new Map<string, ErrorCode>();

export function registerConstraintCode(constraint: string, code: ErrorCode): void {
  CONSTRAINT_CODES.set(constraint, code);
}

export function constraintCode(constraint: string | undefined): ErrorCode | undefined {
  return constraint ? CONSTRAINT_CODES.get(constraint) : undefined;
}
