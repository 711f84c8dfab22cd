import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/**
 * How deep a request body may nest arrays and objects. The deepest DTO of the API is a few levels; the limit
 * leaves room for that and stops a 10 KB body of 2,000 brackets, which would otherwise overflow the stack of
 * every recursive step after the parser (validation, class-transformer, the idempotency fingerprint).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `text` nests deeper than `max`. One pass over the characters with a counter, no recursion and no
 * allocation: brackets inside strings (escapes included) are text, not structure. Malformed JSON is left for
 * the parser to refuse.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i += 1;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth -= 1;
  }
  return false;
}

const installed = new WeakSet<FastifyInstance>();

/**
 * Replaces Fastify's JSON parser with one that measures the depth before parsing, then parses exactly as the
 * default does (secure-json-parse: `__proto__` and `constructor.prototype` refused). It is the only JSON media
 * type the server accepts (`application/json`, with any parameters); the other bodies are text (`text/plain`,
 * `text/csv`), which nothing walks recursively.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  if (installed.has(fastify)) return;
  installed.add(fastify);
  const parse = fastify.getDefaultJsonParser('error', 'error');
  const parser = (
    request: unknown,
    body: string | Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError(ErrorCode.VALIDATION_FAILED, `The body nests deeper than ${MAX_JSON_DEPTH} levels`, {
          maxDepth: MAX_JSON_DEPTH,
        }),
      );
      return;
    }
    void parse(request as never, text, done);
  };
  if (fastify.hasContentTypeParser('application/json')) fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
}

/**
 * Nest registers its own JSON parser when the application initialises, after `configureHttpApp`; this adapter
 * puts ours in its place at that moment, so every way of building the app (main.ts, the tests) gets it.
 */
export class DepthLimitedFastifyAdapter extends FastifyAdapter {
  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    installJsonBodyParser(this.getInstance());
  }
}
