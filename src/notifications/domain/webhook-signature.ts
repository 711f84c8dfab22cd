import { Webhook } from 'standardwebhooks';

/** The headers of one delivery attempt (Standard Webhooks). */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs one attempt: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the secret's key bytes. The
 * `webhook-id` is the event's and stays the same on every retry, so a receiver can drop a duplicate; the
 * timestamp is the attempt's, which receivers compare with their clock to refuse replays.
 */
export function signWebhook(secret: string, webhookId: string, at: Date, body: string): WebhookHeaders {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, at, body),
  };
}
