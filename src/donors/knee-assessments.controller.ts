import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { KneeAssessmentViewDto, RecordKneeAssessmentDto } from './dto/knee-assessment.dto';
import { KneeAssessmentsService } from './knee-assessments.service';

@ApiTags('donors')
@Controller('donors/:id/knee-assessments')
export class KneeAssessmentsController {
  constructor(private readonly assessments: KneeAssessmentsService) {}

  @Post()
  @Roles('doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Grade a patient's knee (Kellgren-Lawrence) from X-ray or MRI",
    description:
      'The answer carries the indication the grade implies; the donor view shows the latest grading per knee.',
  })
  @ApiCreatedResponse({ type: KneeAssessmentViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, "No such donor, or another clinic's"])
  record(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordKneeAssessmentDto,
  ): Promise<KneeAssessmentViewDto> {
    return this.assessments.record(user, id, dto);
  }
}
