import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { OutcomeReportDto, OutcomeReportQuery } from './dto/outcome-report.dto';
import { OutcomeReportService } from './outcome-report.service';

@ApiTags('reports')
@Controller('reports')
export class OutcomeReportController {
  constructor(private readonly reports: OutcomeReportService) {}

  @Get('outcomes')
  @Roles('qa', 'admin', 'doctor')
  @ApiOperation({
    summary: 'Treatment outcomes of knees first injected in [from, to)',
    description:
      'Responders (OMERACT-OARSI) and median VAS reduction by follow-up month, by Kellgren-Lawrence grade and ' +
      'by cells per knee, and the median months to a booster. A doctor sees their own clinic.',
  })
  @ApiOkResponse({ type: OutcomeReportDto })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'Bad or missing from/to, to not after from, or a clinicId that is not a UUID',
    ],
    [ErrorCode.NOT_FOUND, "Another clinic's clinicId from a doctor"],
  )
  outcomes(@CurrentUser() user: AuthUser, @Query() query: OutcomeReportQuery): Promise<OutcomeReportDto> {
    return this.reports.outcomes(user, query);
  }
}
