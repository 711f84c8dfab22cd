import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';

/** The error body every non-2xx answer carries (documented once, referenced by every route). */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 409 })
  statusCode!: number;

  @ApiProperty({
    enum: ErrorCode,
    enumName: 'ErrorCode',
    example: 'INVALID_TRANSITION',
    description: 'Stable machine-readable code',
  })
  code!: string;

  @ApiProperty({ example: 'Batch is IN_CULTURE; RELEASE needs CULTURE_COMPLETE' })
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  details!: Record<string, unknown>;
}
