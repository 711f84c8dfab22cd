import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReplayedResponse } from './replayed-response';
import { toErrorResponse } from './error-response';

/** The only place that knows HTTP statuses: every error leaves as `{statusCode, code, message, details}`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof ReplayedResponse) {
      void reply.status(exception.status).header('idempotent-replayed', 'true');
      if (exception.body === null || exception.status === 204) void reply.send();
      else
        void reply
          .header('content-type', 'application/json; charset=utf-8')
          .send(JSON.stringify(exception.body));
      return;
    }
    const { status, body, unexpected } = toErrorResponse(exception);
    if (unexpected)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    else if (status >= 500)
      this.logger.warn(`${body.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    if (reply.sent) return;
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
