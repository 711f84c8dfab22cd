import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
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
  @ApiBadRequestResponse({
    description: 'The id is not a UUID, or `limit` or `cursor` is not valid (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiNotFoundResponse({ description: 'No such lot (NOT_FOUND)', type: ErrorResponseDto })
  usage(@UuidParam() id: string, @Query() page: PageQuery): Promise<MaterialLotUsageDto> {
    return this.recall.usage(id, page);
  }
}
