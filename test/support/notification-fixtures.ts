import TestAgent from 'supertest/lib/agent';
import { loadEnvironment, NotificationSettings } from '../../config/environment';
import { eventually } from './flag-fixtures';
import { bearer } from './people';

/** Notification settings for tests: loopback receivers allowed, retries in fractions of a second, a short window. */
export function testNotificationSettings(
  overrides: Partial<NotificationSettings> = {},
): NotificationSettings {
  return {
    ...loadEnvironment().notifications,
    webhookAllowInsecure: true,
    retryFirstDelayMs: 300,
    retryMaxDelayMs: 1000,
    retryWindowSeconds: 6,
    deliverySweepSeconds: 1,
    ...overrides,
  };
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  clinicId: string | null;
  active: boolean;
  secret?: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  attempts: number;
  state: 'PENDING' | 'DELIVERED' | 'FAILED';
  responseStatus: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
}

export async function aWebhook(
  http: TestAgent,
  adminToken: string,
  body: { url: string; events: string[]; clinicId?: string },
): Promise<WebhookView & { secret: string }> {
  const response = await http
    .post('/api/v1/webhooks')
    .set(...bearer(adminToken))
    .send(body);
  if (response.status !== 201)
    throw new Error(`webhook: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as WebhookView & { secret: string };
}

export async function deliveriesOf(
  http: TestAgent,
  adminToken: string,
  webhookId: string,
): Promise<DeliveryView[]> {
  const response = await http
    .get(`/api/v1/webhooks/${webhookId}/deliveries`)
    .query({ limit: 200 })
    .set(...bearer(adminToken));
  if (response.status !== 200)
    throw new Error(`deliveries: ${response.status} ${JSON.stringify(response.body)}`);
  return (response.body as { items: DeliveryView[] }).items;
}

/** Waits until the webhook's deliveries satisfy `check`; answers them. */
export async function deliveriesWhen(
  http: TestAgent,
  adminToken: string,
  webhookId: string,
  check: (deliveries: DeliveryView[]) => boolean,
  timeoutMs = 15_000,
  what = 'deliveries',
): Promise<DeliveryView[]> {
  return eventually(
    async () => {
      const deliveries = await deliveriesOf(http, adminToken, webhookId);
      return check(deliveries) ? deliveries : null;
    },
    timeoutMs,
    what,
  );
}
