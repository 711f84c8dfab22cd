import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A running `prism proxy --errors`: a validating proxy that holds the server to its OpenAPI document. */
export interface PrismProxy {
  url: string;
  /** What Prism printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const PRISM = join(__dirname, '../../../node_modules/.bin/prism');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Prism in front of `upstream` with the document at `documentPath`. With `--errors`, a request that
 * breaks the document is refused (422) before it reaches the server, and a response that breaks it is
 * replaced by a 500 naming the violations.
 */
export async function startPrismProxy(documentPath: string, upstream: string): Promise<PrismProxy> {
  const port = await freePort();
  const child = spawn(
    PRISM,
    [
      'proxy',
      documentPath,
      upstream,
      '--errors',
      '--cors',
      'false',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilListening(child, () => output);
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stop(child),
  };
}

async function waitUntilListening(child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!output().includes('Prism is listening')) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`prism did not start within 90 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
