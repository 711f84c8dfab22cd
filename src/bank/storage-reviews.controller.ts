import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import {
  DecideStorageReviewDto,
  ListStorageReviewsQuery,
  StorageReviewPageDto,
  StorageReviewViewDto,
} from './dto/storage-review.dto';
import { StorageReviewsService } from './storage-reviews.service';

@ApiTags('cell bank')
@Controller('storage-reviews')
export class StorageReviewsController {
  constructor(private readonly reviews: StorageReviewsService) {}

  @Get()
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'Storage reviews, soonest due first',
    description:
      'One review per donor and due date, kept current by the commands that freeze, retain or withdraw: no job is needed to see them.',
  })
  @ApiOkResponse({ type: StorageReviewPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad status, clinicId, limit or cursor'])
  list(@Query() query: ListStorageReviewsQuery): Promise<Page<StorageReviewViewDto>> {
    return this.reviews.list(query);
  }

  @Get(':id')
  @Roles('admin', 'qa')
  @ApiOperation({ summary: 'A storage review with its vials' })
  @ApiOkResponse({ type: StorageReviewViewDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'id not a UUID'], [ErrorCode.NOT_FOUND, 'No such storage review'])
  get(@UuidParam() reviewId: string): Promise<StorageReviewViewDto> {
    return this.reviews.get(reviewId);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Decide a storage review: RETAIN or DISPOSE',
    description:
      "RETAIN moves the vials' nextReviewAt to the earlier of now + 12 months and the banking consent's expiry (a new review); " +
      'DISPOSE discards the vials. A review is decided once; of two concurrent decisions exactly one wins.',
  })
  @ApiOkResponse({ type: StorageReviewViewDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such storage review'],
    [ErrorCode.ALREADY_DECIDED, 'Decided already'],
    [ErrorCode.INVALID_TRANSITION, 'DISPOSE while a vial is RESERVED for a booster'],
    [ErrorCode.CONSENT_MISSING, 'RETAIN without a banking consent in force'],
  )
  decide(
    @CurrentUser() user: AuthUser,
    @UuidParam() reviewId: string,
    @Body() dto: DecideStorageReviewDto,
  ): Promise<StorageReviewViewDto> {
    return this.reviews.decide(user, reviewId, dto);
  }
}
