import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchViewsService } from './batch-views.service';
import { GrowthViewDto } from './dto/growth-view.dto';

const BAD_ID: [ErrorCode, string] = [ErrorCode.VALIDATION_FAILED, 'The id is not a UUID'];
const HIDDEN: [ErrorCode, string] = [ErrorCode.NOT_FOUND, "No such batch, or another clinic's for a doctor"];

@ApiTags('batches')
@Controller('batches/:id')
export class BatchRecordsController {
  constructor(private readonly views: BatchViewsService) {}

  @Get('growth')
  @AnyRole()
  @ApiOperation({
    summary: 'The growth curve and projected ready date',
    description:
      'Points in time order with cumulative population doublings; corrected entries are replaced by their corrections.',
  })
  @ApiOkResponse({ type: GrowthViewDto })
  @ApiErrors(BAD_ID, HIDDEN)
  growth(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<GrowthViewDto> {
    return this.views.growth(user, id);
  }

  @Get('growth.svg')
  @AnyRole()
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: 'The growth curve as an SVG chart, with the target line and projection' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'A self-contained SVG document', schema: { type: 'string' } })
  @ApiErrors(BAD_ID, HIDDEN)
  growthSvg(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<string> {
    return this.views.growthSvg(user, id);
  }
}
