import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../../common/errors/error-response';
import { JobQueues } from '../queues/job-queues';
import { DashboardAuth } from './dashboard-auth';

/** Outside /api/v1 (docs/http-api.md, "Conventions"). */
export const DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard (bull-board) at /admin/queues, for administrators only (HTTP Basic, see
 * {@link DashboardAuth}). It is a Fastify plugin beside Nest's routes, so the bearer-token guard does not see
 * it: the plugin's own onRequest hook authenticates every request of it, assets included, and answers
 * failures with the contract's error body.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: JobQueues,
    private readonly auth: DashboardAuth,
  ) {}

  onModuleInit(): void {
    const httpAdapter = this.adapterHost.httpAdapter;
    if (!httpAdapter) return; // an application context without HTTP
    const fastify = httpAdapter.getInstance<FastifyInstance>();
    const board = new BullBoardAdapter().setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: this.queues.all().map((queue) => new BullMQAdapter(queue)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'CPC Tracker jobs' } },
    });
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', (request, reply) => this.authenticate(request, reply));
        await scope.register(board.registerPlugin());
      },
      { prefix: DASHBOARD_PATH },
    );
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      await this.auth.assertAdmin(request.headers.authorization, request.ip);
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      if (status === 401)
        void reply.header('www-authenticate', 'Basic realm="CPC Tracker queues", charset="UTF-8"');
      await reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
    }
  }
}
