import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { Clock } from './common/clock/clock';
import { ErrorResponseDto } from './common/http/error-response.dto';
import { DepthLimitedFastifyAdapter } from './common/http/json-body';
import { finishDocument } from './common/openapi/finish-document';
import { DERIVED_OPERATION_ID } from './common/openapi/operation-ids';
import { createValidationPipe } from './common/validation/validation';
import {
  DASHBOARD_SECURITY,
  dashboardPathItem,
  dashboardSecurityScheme,
} from './jobs/dashboard/dashboard-openapi';
import { DASHBOARD_PATH } from './jobs/dashboard/queue-dashboard';
import { MetricsService } from './metrics/metrics.service';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Builds the HTTP application exactly as production runs it; `main.ts` and the e2e tests both call this,
 * so the tests exercise the real prefix, pipes, filter, limits and docs.
 */
export async function createHttpApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), {
    bufferLogs: true,
  });
  configureHttpApp(app);
  return app;
}

export function createFastifyAdapter(): FastifyAdapter {
  return new DepthLimitedFastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    // One id per request: a proxy's X-Request-Id when it looks sane, else a new UUID. It is on every log line
    // (see the logger's genReqId) and on every answer, so a user's report can be found in the logs.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
}

export function configureHttpApp(app: NestFastifyApplication): void {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe(app.get(Clock)));
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // CSV uploads (a data logger's file) reach their routes as text, within the same body limit; the route reads
  // them with a CSV parser. Text rather than bytes: the idempotency fingerprint hashes a string as it is.
  if (!fastify.hasContentTypeParser('text/csv')) {
    fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
  }
  fastify.addHook('onRequest', async (request) => {
    if (!/^[\w.-]{1,128}$/.test(request.id)) request.id = randomUUID();
    (request.raw as { id?: string }).id = request.id;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  setupOpenApi(app);
}

function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('CPC Tracker API')
    .setDescription(
      'Adipose-derived stem cells from harvest to injection: donors, harvests, batches, QC, release, doses and the ' +
        'cryopreserved cell bank, with an append-only audit trail. Every error has the body ' +
        '`{statusCode, code, message, details}`; every POST accepts an optional `Idempotency-Key` header. ' +
        'The guide to the conventions is docs/http-api.md in the repository.',
    )
    .setVersion('1.0')
    // Relative to where this document is served, so it names each deployment's own base URL.
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  // Proprietary (package.json says UNLICENSED): a name, and no public licence text to link to.
  config.info.license = { name: 'Proprietary (UNLICENSED)' };
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto],
    operationIdFactory: (controller, method) => `${DERIVED_OPERATION_ID}${controller}.${method}`,
  });
  finishDocument(document, {
    errorSchema: ErrorResponseDto.name,
    apiPrefix: `/${API_PREFIX}`,
    extraPaths: { [DASHBOARD_PATH]: dashboardPathItem(ErrorResponseDto.name) },
    extraSecuritySchemes: { [DASHBOARD_SECURITY]: dashboardSecurityScheme },
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
