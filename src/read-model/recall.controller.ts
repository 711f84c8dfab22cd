import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/pagination/pagination';
import { UuidParam } from '../common/validation/validation';
import { MaterialLotUsageDto } from './dto/recall-view.dto';
import { RecallService } from './recall.service';

@ApiTags('material lots')
@Controller('material-lots')
export class RecallController {
  constructor(private readonly recall: RecallService) {}

  @Get(':id/usage')
  @Roles('admin', 'qa')
  @ApiOperation({
    summary:
      'Recall list: the batches whose events used the lot, with their doses (and administrations) and vials',
    description:
      'Cursor-paginated like every list (`limit` 1..200, default 50; `cursor` from `nextCursor`), batches in ' +
      'order of first use of the lot.',
  })
  @ApiOkResponse({ type: MaterialLotUsageDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'The id is not a UUID, or `limit` or `cursor` is not valid'],
    [ErrorCode.NOT_FOUND, 'No such lot'],
  )
  usage(@UuidParam() id: string, @Query() page: PageQuery): Promise<MaterialLotUsageDto> {
    return this.recall.usage(id, page);
  }
}
