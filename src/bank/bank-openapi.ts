import { ErrorResponseDto } from '../common/http/error-response.dto';

/** Error responses the bank's routes share, for the OpenAPI document. */
export const BAD_INPUT = {
  description: 'id not a UUID, invalid or unknown fields (VALIDATION_FAILED, details.fields names them)',
  type: ErrorResponseDto,
};

export const notFoundResponse = (what: string): { description: string; type: typeof ErrorResponseDto } => ({
  description: `${what} (NOT_FOUND)`,
  type: ErrorResponseDto,
});

export const errorResponse = (
  description: string,
): { description: string; type: typeof ErrorResponseDto } => ({
  description,
  type: ErrorResponseDto,
});
