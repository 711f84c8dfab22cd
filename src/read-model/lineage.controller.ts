import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { LineageDto } from './dto/lineage-view.dto';
import { LineageService } from './lineage.service';

@ApiTags('batches')
@Controller('batches/:id')
export class LineageController {
  constructor(private readonly lineages: LineageService) {}

  @Get('lineage')
  @AnyRole()
  @ApiOperation({
    summary: 'Everything in and out of the batch',
    description:
      'Donor, harvest, every step (superseded entries marked), material lots, QC, deviations, decision, doses with ' +
      "the patient's administration, and vials.",
  })
  @ApiOkResponse({ type: LineageDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'],
    [ErrorCode.NOT_FOUND, "No such batch, or another clinic's for a doctor"],
  )
  lineage(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<LineageDto> {
    return this.lineages.lineage(user, id);
  }
}
