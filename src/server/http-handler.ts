import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { AuthContext } from '../directive/request/auth-context.js';
import type { Logger } from '../logger.js';
import type { ContextRequest } from './context.js';

/** A plain route beside GraphQL (health, readiness, metadata). */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Options of {@link createRequestListener}. */
export interface RequestListenerOptions {
  readonly apollo: ApolloServer<AuthContext>;
  readonly context: (input: ContextRequest) => Promise<AuthContext>;
  /** Exact paths answered outside GraphQL. */
  readonly routes: Readonly<Record<string, Route>>;
  readonly logger: Logger;
  /** @default '/graphql' */
  readonly graphqlPath?: string;
  /** Largest accepted request body. @default 1 MiB */
  readonly maxBodyBytes?: number;
}

/**
 * The reference server's Node `http` listener: GraphQL through Apollo's
 * `executeHTTPGraphQLRequest`, plus a few plain routes. It reads the body itself so that the
 * context function sees the parsed body (RFC 6750 §2.2: a token in the body is refused) and the
 * raw headers (two `Authorization` headers are refused, where Node would join them).
 */
export function createRequestListener(options: RequestListenerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    if (options.logger.isLevelEnabled('debug')) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        // The path only: a query string may carry a token (refused, but never logged).
        options.logger.debug(
          { method: req.method, path: pathOf(req), status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
          'request',
        );
      });
    }
    const path = pathOf(req);
    const route = options.routes[path];
    const handle = route ? () => route(req, res) : path === graphqlPath ? () => serveGraphQL(req, res) : () => sendJson(res, 404, { error: 'not found' });
    Promise.resolve()
      .then(handle)
      .catch((error: unknown) => {
        options.logger.error({ err: error, path }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal server error' });
        else res.destroy();
      });
  };

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'too-large') return sendJson(res, 413, { errors: [{ message: 'request body too large', extensions: { code: 'BAD_REQUEST' } }] });
    if (body.kind === 'malformed') return sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: queryStart < 0 ? '' : url.slice(queryStart), body: body.value },
      context: () => options.context({ req: Object.assign(req, { body: body.value }) }),
    });
    await writeResponse(res, response);
  }
}

type BodyResult = { kind: 'ok'; value: unknown } | { kind: 'too-large' } | { kind: 'malformed' };

async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return { kind: 'too-large' };
    chunks.push(chunk);
  }
  if (size === 0) return { kind: 'ok', value: undefined };
  const text = Buffer.concat(chunks).toString('utf8');
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json' && !contentType.endsWith('+json')) return { kind: 'ok', value: text };
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'malformed' };
  }
}

async function writeResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Sends a small JSON document. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  return queryStart < 0 ? url : url.slice(0, queryStart);
}
