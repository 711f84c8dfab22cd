import { Body, Controller, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { InjectionPlanViewDto, SetInjectionPlanDto } from './dto/injection-plan.dto';
import { InjectionPlansService } from './injection-plans.service';

@ApiTags('batches')
@Controller('batches/:id/injection-plan')
export class InjectionPlanController {
  constructor(private readonly plans: InjectionPlansService) {}

  @Put()
  @Roles('doctor')
  @ApiOperation({
    summary: "Book (or move) the patient's injection visit for this batch",
    description:
      'Each call is a new version of the plan; the batch view shows the one in force, judged against the ' +
      'growth projection. VISIT_AT_RISK is raised in the same transaction when it is not on track.',
  })
  @ApiOkResponse({ type: InjectionPlanViewDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, "No such batch, or another clinic's"],
    [ErrorCode.INVALID_TRANSITION, 'The batch is decided (released, rejected or discarded)'],
  )
  set(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: SetInjectionPlanDto,
  ): Promise<InjectionPlanViewDto> {
    return this.plans.set(user, id, dto);
  }
}
