import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the receiver got, with what an independent check of its signature said. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> & { id: string; type: string } };
  headers: IncomingHttpHeaders;
  answered: number | 'hung';
}

/** How the receiver answers each request: a status, or hang (never answer). */
export type Answer = number | 'hang';

/**
 * Standard Webhooks' signature, written from the spec without any library: HMAC-SHA256 keyed by the base64
 * bytes after `whsec_`, over `id.timestamp.body`, base64, prefixed `v1,`; the header may carry several,
 * space-separated. Compared in constant time.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${headers.id}.${headers.timestamp}.${body}`).digest();
  return headers.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A plain-HTTP receiver on loopback (the app must run with WEBHOOK_ALLOW_INSECURE). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private answer: (request: { id: string; count: number }) => Answer = () => 204;
  private readonly hung: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | null = null;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => receiver?.handle(req.headers, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    return receiver;
  }

  url(path = '/hooks/cpc'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answer every request with this status, or hang; or decide per request (by webhook-id and how often seen). */
  answerWith(answer: Answer | ((request: { id: string; count: number }) => Answer)): void {
    this.answer = typeof answer === 'function' ? answer : () => answer;
  }

  /** The requests for one event (one webhook-id), in arrival order. */
  deliveriesOf(id: string): ReceivedWebhook[] {
    return this.received.filter((entry) => entry.id === id);
  }

  /** The distinct events received with a 2xx answer. */
  acceptedIds(): Set<string> {
    return new Set(
      this.received
        .filter((entry) => typeof entry.answered === 'number' && entry.answered < 300)
        .map((entry) => entry.id),
    );
  }

  async close(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const id = String(headers['webhook-id'] ?? '');
    const count = this.received.filter((entry) => entry.id === id).length + 1;
    const answer = this.answer({ id, count });
    let json: ReceivedWebhook['json'];
    try {
      json = JSON.parse(body) as ReceivedWebhook['json'];
    } catch {
      json = { type: '', timestamp: '', data: { id: '', type: '' } };
    }
    this.received.push({
      id,
      timestamp: String(headers['webhook-timestamp'] ?? ''),
      signature: String(headers['webhook-signature'] ?? ''),
      body,
      json,
      headers,
      answered: answer === 'hang' ? 'hung' : answer,
    });
    if (answer === 'hang') {
      this.hung.push(res);
      return;
    }
    res.writeHead(answer, { 'content-type': 'text/plain' }).end('thanks');
  }
}
