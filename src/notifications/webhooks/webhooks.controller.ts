import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../../common/http/api-idempotency-key.decorator';
import { Page } from '../../common/pagination/pagination';
import { AuthUser } from '../../common/transaction/auth-user';
import { UuidParam } from '../../common/validation/validation';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryListQuery,
  DeliveryPageDto,
  DeliveryViewDto,
  UpdateWebhookDto,
  WebhookPageDto,
  WebhookViewDto,
} from '../dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('notifications')
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Register a webhook for flag events',
    description:
      'Flag raised and resolved events are POSTed in the Standard Webhooks format (webhook-id, webhook-timestamp, ' +
      'webhook-signature), at least once, retried with exponential back-off for at least 24 h. The `secret` is ' +
      'answered here only.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'Invalid body; a URL that is not https, carries credentials, does not resolve, or resolves to a private, loopback, link-local or other non-public address (unless WEBHOOK_ALLOW_INSECURE)',
    ],
    [ErrorCode.NOT_FOUND, 'No such clinic'],
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The webhooks, newest first (never their secrets)' })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad limit or cursor'])
  list(@Query() query: DeliveryListQuery): Promise<Page<WebhookViewDto>> {
    return this.webhooks.list(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Switch a webhook on or off, or change its flag types' })
  @ApiOkResponse({ type: WebhookViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such webhook'])
  update(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookViewDto> {
    return this.webhooks.update(user, id, dto);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "A webhook's delivery log: one row per event sent to it, newest first",
    description: '`eventId` is the webhook-id header of every attempt of that event.',
  })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, bad limit or cursor'],
    [ErrorCode.NOT_FOUND, 'No such webhook'],
  )
  deliveries(@UuidParam() id: string, @Query() query: DeliveryListQuery): Promise<Page<DeliveryViewDto>> {
    return this.webhooks.deliveries(id, query);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Send a delivery again',
    description:
      'In any state: the same event (same webhook-id) is sent again shortly, with a fresh retry window.',
  })
  @ApiAcceptedResponse({ description: 'The attempt is queued' })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such webhook, or no such delivery of it'])
  async retry(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @UuidParam('deliveryId') deliveryId: string,
  ): Promise<void> {
    await this.webhooks.retry(user, id, deliveryId);
  }
}
