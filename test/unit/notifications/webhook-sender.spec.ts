import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LookupAddress } from 'node:dns';
import { sendWebhook } from '../../../src/notifications/webhooks/webhook-sender';

const headers = { 'webhook-id': 'evt-1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,abc' };

interface Receiver {
  server: Server;
  port: number;
  received: { headers: IncomingMessage['headers']; body: string }[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: () => number;
  close(): Promise<void>;
}

async function aReceiver(answer: (req: IncomingMessage) => number | 'hang'): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = answer(req);
      if (status === 'hang') return;
      res.writeHead(status).end('ok');
    });
  });
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    connections: () => connections,
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolverAnswering(address: string, calls: string[] = []) {
  return async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

describe('sending a webhook', () => {
  let receiver: Receiver;
  afterEach(async () => receiver?.close());

  it('posts the body with the signature headers and reports the status', async () => {
    receiver = await aReceiver(() => 204);
    const outcome = await sendWebhook(
      { url: `http://127.0.0.1:${receiver.port}/hook`, headers, body: '{"a":1}' },
      { allowInsecure: true },
    );
    expect(outcome).toEqual({ kind: 'ANSWERED', status: 204 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].body).toBe('{"a":1}');
    expect(receiver.received[0].headers['webhook-id']).toBe('evt-1');
    expect(receiver.received[0].headers['content-type']).toBe('application/json');
  });

  it('connects to the address its own look-up checked, resolving the name once', async () => {
    receiver = await aReceiver(() => 200);
    const calls: string[] = [];
    // receiver.invalid resolves nowhere in real DNS: only the guarded look-up's answer can reach the receiver.
    const outcome = await sendWebhook(
      { url: `http://receiver.invalid:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: true, resolver: resolverAnswering('127.0.0.1', calls) },
    );
    expect(outcome).toEqual({ kind: 'ANSWERED', status: 200 });
    expect(calls).toEqual(['receiver.invalid']);
    expect(receiver.received[0].headers.host).toBe(`receiver.invalid:${receiver.port}`);
  });

  it('refuses a name that resolves to a private address, without connecting (DNS rebinding)', async () => {
    receiver = await aReceiver(() => 200);
    const outcome = await sendWebhook(
      { url: `https://rebound.invalid:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: false, resolver: resolverAnswering('127.0.0.1') },
    );
    expect(outcome.kind).toBe('NO_ANSWER');
    if (outcome.kind === 'NO_ANSWER') expect(outcome.error).toContain('loopback');
    expect(receiver.connections()).toBe(0);
  });

  it('refuses http and a literal private address when not insecure', async () => {
    receiver = await aReceiver(() => 200);
    const plain = await sendWebhook(
      { url: `http://127.0.0.1:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: false },
    );
    const literal = await sendWebhook(
      { url: `https://127.0.0.1:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: false },
    );
    expect(plain.kind).toBe('NO_ANSWER');
    expect(literal.kind).toBe('NO_ANSWER');
    expect(receiver.connections()).toBe(0);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    receiver = await aReceiver(() => 'hang');
    const started = Date.now();
    const outcome = await sendWebhook(
      { url: `http://127.0.0.1:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: true, timeoutMs: 300 },
    );
    expect(outcome).toEqual({ kind: 'NO_ANSWER', error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('does not follow a redirect', async () => {
    receiver = await aReceiver(() => 307);
    const outcome = await sendWebhook(
      { url: `http://127.0.0.1:${receiver.port}/hook`, headers, body: '{}' },
      { allowInsecure: true },
    );
    expect(outcome).toEqual({ kind: 'ANSWERED', status: 307 });
    expect(receiver.received).toHaveLength(1);
  });

  it('reports a refused connection', async () => {
    receiver = await aReceiver(() => 200);
    const port = receiver.port;
    await receiver.close();
    const outcome = await sendWebhook(
      { url: `http://127.0.0.1:${port}/hook`, headers, body: '{}' },
      { allowInsecure: true },
    );
    expect(outcome.kind).toBe('NO_ANSWER');
    if (outcome.kind === 'NO_ANSWER') expect(outcome.error).toContain('ECONNREFUSED');
  });
});
