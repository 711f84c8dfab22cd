import { ApiProperty } from '@nestjs/swagger';

/** The error body every non-2xx answer carries (documented once, referenced by every route). */
export class ErrorResponseDto {
  @ApiProperty({ example: 409 })
  statusCode!: number;

  @ApiProperty({ example: 'INVALID_TRANSITION', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Batch is IN_CULTURE; RELEASE needs CULTURE_COMPLETE' })
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  details!: Record<string, unknown>;
}
