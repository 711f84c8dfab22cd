import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { judgeWebhookUrl, UrlRules } from '../domain/address-policy';
import { WebhookHeaders } from '../domain/webhook-signature';
import { guardedLookup, Resolver, systemResolver } from './guarded-lookup';

/** A receiver has this long to answer with a 2xx (API.md's 10 s), connection and TLS included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookRequest {
  url: string;
  headers: WebhookHeaders;
  body: string;
}

/**
 * How one attempt ended: the receiver's status, or why there was none. `error` is a short sentence for the
 * delivery log (no URL query, no header, no secret).
 */
export type AttemptOutcome = { kind: 'ANSWERED'; status: number } | { kind: 'NO_ANSWER'; error: string };

export function isDelivered(outcome: AttemptOutcome): boolean {
  return outcome.kind === 'ANSWERED' && outcome.status >= 200 && outcome.status < 300;
}

export interface SenderOptions extends UrlRules {
  timeoutMs?: number;
  resolver?: Resolver;
}

/**
 * One POST of a signed event. Redirects are not followed (a 3xx is a failure: a redirect could point inside
 * the network), the whole attempt is bounded by the timeout, and the response body is never read into memory.
 */
export async function sendWebhook(request: WebhookRequest, options: SenderOptions): Promise<AttemptOutcome> {
  const verdict = judgeWebhookUrl(request.url, options);
  if (!verdict.allowed) return { kind: 'NO_ANSWER', error: verdict.reason };
  const url = verdict.url;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(url, options, options.resolver ?? systemResolver),
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(request.body),
        'user-agent': 'cpc-tracker-webhooks/1',
        ...request.headers,
      },
    });
    const timer = setTimeout(() => {
      finish({ kind: 'NO_ANSWER', error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('response', (response: IncomingMessage) => {
      finish({ kind: 'ANSWERED', status: response.statusCode ?? 0 });
      // The status is all the log keeps; drop the connection rather than read whatever follows.
      response.destroy();
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'NO_ANSWER', error: describe(error) }));
    req.end(request.body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRREFUSED') return error.message;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
