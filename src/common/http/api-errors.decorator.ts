import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-code';
import { ErrorResponseDto } from './error-response.dto';

/** A code a route answers, alone or with what it means on this route. */
export type RouteError = ErrorCode | [ErrorCode, string] | [ErrorCode, string, number];

/** What a code means when the route does not say more. */
const GENERIC: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.VALIDATION_FAILED]: 'Invalid path, query or body; details.fields names the fields',
  [ErrorCode.NOT_FOUND]: 'No such record, or one hidden from the caller by clinic scope',
  [ErrorCode.INVALID_TRANSITION]: 'The record is not in a state that allows this',
};

/**
 * The error answers of a route, written once (docs/http-api.md, "Errors"): each code's HTTP status comes from
 * ERROR_STATUS, codes sharing a status share one response, and its schema is the error body with `code`
 * narrowed to those codes, so a generated client knows exactly which codes each status carries.
 *
 *   @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such dose'], ErrorCode.INVALID_TRANSITION)
 *
 * A code the contract answers with another status on one route names it third:
 * `[ErrorCode.VALIDATION_FAILED, 'The dose went into the other knee', 422]` (see `unprocessable`).
 *
 * 401 and 403 come with the route's roles (`@Roles`), not from here.
 */
export function ApiErrors(...errors: RouteError[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, { code: ErrorCode; description: string }[]>();
  for (const error of errors) {
    const [code, description, override]: [ErrorCode, string, number?] = Array.isArray(error)
      ? error
      : [error, GENERIC[error] ?? ''];
    const status = override ?? ERROR_STATUS[code];
    const list = byStatus.get(status) ?? [];
    if (list.some((entry) => entry.code === code)) throw new Error(`ApiErrors lists ${code} twice`);
    list.push({ code, description });
    byStatus.set(status, list);
  }
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...[...byStatus].map(([status, entries]) =>
      ApiResponse({
        status,
        description: entries
          .map(({ code, description }) => (description ? `${code}: ${description}` : code))
          .join('. '),
        schema: errorSchema(
          status,
          entries.map((entry) => entry.code),
        ),
      }),
    ),
  );
}

function errorSchema(status: number, codes: ErrorCode[]): Record<string, unknown> {
  return {
    allOf: [
      { $ref: getSchemaPath(ErrorResponseDto) },
      {
        type: 'object',
        properties: {
          statusCode: { type: 'integer', enum: [status] },
          code: { type: 'string', enum: codes },
        },
      },
    ],
  };
}
