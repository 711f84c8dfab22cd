import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorBody } from '../common/errors/error-response';
import { ErrorCode } from '../common/errors/error-code';

/** What a worker process serves over HTTP: probes and the scrape of its job metrics. */
const WORKER_PATHS = new Set(['/health', '/metrics']);

/**
 * APP_ROLE=worker runs jobs only. It keeps a small HTTP server for its liveness probe (/health) and for
 * Prometheus to scrape the job durations it measures (/metrics); everything else is 404 there, so a worker
 * put behind the API's load balancer by mistake answers nothing of the API.
 */
export function restrictToWorkerPaths(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      if (WORKER_PATHS.has(request.url.split('?')[0])) return;
      const { status, body } = errorBody(
        ErrorCode.NOT_FOUND,
        'This is a worker process (APP_ROLE=worker); it serves only /health and /metrics',
      );
      await reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
    });
}
