import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { Public } from '../auth/roles.decorator';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  @Get()
  // Not a user's JWT: a scraper holds METRICS_TOKEN, checked here (docs/operations.md, "Metrics").
  @Public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics (HTTP latency histogram, process, jobs, outbox)',
    description:
      'With METRICS_TOKEN set, needs `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); open without it.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiErrors([ErrorCode.UNAUTHENTICATED, 'METRICS_TOKEN is set and the bearer token is missing or wrong'])
  // The header is read off the request, not taken with @Headers: that would document it as required, and
  // it is needed only when METRICS_TOKEN is set.
  async scrape(@Req() request: FastifyRequest): Promise<string> {
    const token = this.env.metricsToken;
    if (token !== null && !bearerMatches(request.headers.authorization, token))
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'A valid metrics token is required');
    return this.metrics.registry.metrics();
  }
}

/** Compared as digests in constant time, so neither the token's length nor its prefix leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(token));
}
