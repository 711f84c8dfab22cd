import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchViewsService } from './batch-views.service';
import { GrowthViewDto } from './dto/growth-view.dto';

const BAD_ID = { description: 'The id is not a UUID (VALIDATION_FAILED)', type: ErrorResponseDto };
const HIDDEN = {
  description: "No such batch, or another clinic's for a doctor (NOT_FOUND)",
  type: ErrorResponseDto,
};

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
  @ApiBadRequestResponse(BAD_ID)
  @ApiNotFoundResponse(HIDDEN)
  growth(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<GrowthViewDto> {
    return this.views.growth(user, id);
  }

  @Get('growth.svg')
  @AnyRole()
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: 'The growth curve as an SVG chart, with the target line and projection' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'A self-contained SVG document', schema: { type: 'string' } })
  @ApiBadRequestResponse(BAD_ID)
  @ApiNotFoundResponse(HIDDEN)
  growthSvg(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<string> {
    return this.views.growthSvg(user, id);
  }
}
