import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';
import { UNFORESEEN_ERROR_CODES, WireErrorCode } from '../errors/error-response';

/** Every code an error body may carry: the contract's codes, and the two that only a bug or an unmapped status produce. */
const WIRE_ERROR_CODES: WireErrorCode[] = [...Object.values(ErrorCode), ...UNFORESEEN_ERROR_CODES];

/** The error body every non-2xx answer carries (documented once, referenced by every route). */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 409 })
  statusCode!: number;

  @ApiProperty({
    enum: WIRE_ERROR_CODES,
    enumName: 'ErrorCode',
    example: ErrorCode.INVALID_TRANSITION,
    description:
      'Stable machine-readable code (docs/http-api.md, "Errors and their codes"); INTERNAL_ERROR and HTTP_ERROR mean a bug, never an answer by design',
  })
  code!: WireErrorCode;

  @ApiProperty({ example: 'Batch is IN_CULTURE; RELEASE needs CULTURE_COMPLETE' })
  message!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {},
    description:
      'More about the error: `fields` for VALIDATION_FAILED, `constraint` for a refused change, ...',
  })
  details!: Record<string, unknown>;
}
