import type {
  PathItemObject,
  SecuritySchemeObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The security scheme of the queue dashboard: a browser sends no bearer token, so it takes HTTP Basic. */
export const DASHBOARD_SECURITY = 'adminBasic';

export const dashboardSecurityScheme: SecuritySchemeObject = {
  type: 'http',
  scheme: 'basic',
  description:
    "An administrator's email and password, checked like a login: failures count toward the account's lock-out.",
};

/**
 * The dashboard for the OpenAPI document: it is a Fastify plugin beside Nest's routes (see QueueDashboard),
 * so the document builder cannot see it. Its pages and assets lie under this path; the document names the
 * entry page.
 */
export function dashboardPathItem(errorSchema: string): PathItemObject {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${errorSchema}` } } },
  });
  return {
    get: {
      tags: ['operations'],
      summary: 'The job queue dashboard (bull-board), for administrators',
      operationId: 'getQueueDashboard',
      security: [{ [DASHBOARD_SECURITY]: [] }],
      responses: {
        '200': {
          description: 'The dashboard page',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
        '401': {
          ...error('No or wrong credentials (UNAUTHENTICATED); the answer asks the browser for them'),
          headers: {
            'WWW-Authenticate': { description: 'The Basic challenge', schema: { type: 'string' } },
          },
        },
        '403': error('The account is not an administrator (FORBIDDEN)'),
        '429': error('The account is locked after repeated failures (RATE_LIMITED)'),
      },
    },
  };
}
