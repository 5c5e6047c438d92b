/**
 * What a Fetch API `Request` (GraphQL Yoga, any WHATWG server) carries as credentials, for
 * {@link authenticate}: every `Authorization` value, the request target, the parsed body.
 * @see RFC 6750 §2
 */
import type { Credentials } from '../token/extract.js';
import { credentialsOf, type NodeCredentialSource } from './node-credentials.js';

/**
 * The credentials of a Fetch `Request`, with the body its server parsed.
 *
 * Fetch's `Headers` joins repeated `Authorization` headers into one value with ", ", and on
 * Node it is worse: the `Request` a WHATWG adapter builds from Node's `headers` has only the
 * first `Authorization` (Node discards duplicates of it), so a second credential would vanish.
 * Two credentials are therefore told apart another way (RFC 6750 §2: one method per request):
 * - on Node, a WHATWG server adapter (Yoga's `createServer(yoga)`, `@whatwg-node/server`) hands
 *   over Node's own request as `serverContext.req`: its `rawHeaders` list every header line as
 *   sent, and its `url` is the request target exactly as sent; both are read from there, as the
 *   Apollo path reads them (a test sends two headers to Yoga and gets the 400);
 * - elsewhere (no `rawHeaders`), the joined value is read as one credential. That still fails
 *   closed: a `b64token` (RFC 6750 §2.1) never contains ",", so `Bearer a, Bearer b` is a
 *   malformed header (400 `invalid_request`) and a joined value that starts with another scheme
 *   is refused with a bare `Bearer` challenge (401); neither is ever anonymous.
 *
 * @example
 * ```ts
 * const result = await authenticate(credentialsOfFetch(request, serverContext, params), { verifier });
 * ```
 */
export function credentialsOfFetch(request: Request, serverContext: unknown, body: unknown): Credentials {
  const node = nodeRequestOf(serverContext);
  if (node !== undefined) return credentialsOf({ rawHeaders: node.rawHeaders, url: node.url, headers: node.headers, body, method: request.method, socket: node.socket });
  const url = new URL(request.url);
  const authorization = request.headers.get('authorization');
  const dpop = request.headers.get('dpop');
  return {
    authorization: authorization === null ? [] : [authorization],
    url: `${url.pathname}${url.search}`,
    contentType: request.headers.get('content-type') ?? undefined,
    body,
    // Joined when sent twice: a proof with ", " in it is no JWT and is refused (fail closed).
    dpop: dpop === null ? [] : [dpop],
    method: request.method,
  };
}

/** Node's `IncomingMessage` when the server adapter passed it along (`{ req }`), else undefined. */
function nodeRequestOf(serverContext: unknown): NodeCredentialSource | undefined {
  if (typeof serverContext !== 'object' || serverContext === null) return undefined;
  const req = (serverContext as { req?: unknown }).req;
  if (typeof req !== 'object' || req === null) return undefined;
  const candidate = req as Partial<NodeCredentialSource>;
  return Array.isArray(candidate.rawHeaders) && typeof candidate.headers === 'object' ? (candidate as NodeCredentialSource) : undefined;
}
