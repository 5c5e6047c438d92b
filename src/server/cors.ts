import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import cors from 'cors';

/**
 * Request headers a browser client may send: the bearer token (RFC 6750 §2.1), JSON bodies,
 * DPoP proofs (RFC 9449 §4.1), and what Apollo Client, urql and graphql-request add:
 * Apollo Server's CSRF-prevention header and Apollo Client's operation and client-awareness
 * headers. `Accept` is CORS-safelisted and needs no entry.
 */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'DPoP',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
] as const;

/**
 * Response headers a browser client may read besides the safelisted ones: why a token was
 * refused (RFC 6750 §3), the DPoP nonce (RFC 9449 §8) and when to retry a 503 (RFC 9110 §10.2.3).
 */
export const CORS_EXPOSED_HEADERS = ['WWW-Authenticate', 'DPoP-Nonce', 'Retry-After'] as const;

/** How long a browser may cache a preflight answer, seconds (Chromium caps it at 7200). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Wraps the server's request listener with CORS (the `cors` package): a request whose `Origin` is
 * one of `origins` gets its CORS headers, and its preflight (`OPTIONS`) is answered `204` here,
 * before Apollo's CSRF prevention and before any token is read (a preflight carries no
 * credentials, Fetch §3.2.2). A refused origin gets no CORS header and goes on as before; the
 * browser then withholds the response from the page. With no origins, the listener is returned
 * unchanged.
 *
 * Credentials mode is never allowed (no `Access-Control-Allow-Credentials`): gatepass reads the
 * `Authorization` header, which a page sets itself, never a cookie a browser would attach.
 *
 * @param origins exact origins, or `['*']` (any origin; refused in production by the config)
 * @example
 * ```ts
 * httpServer.on('request', withCors(['https://app.example.com'], listener));
 * ```
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function withCors(origins: readonly string[], listener: RequestListener): RequestListener {
  if (origins.length === 0) return listener;
  const any = origins.includes('*');
  const allowed = new Set(origins);
  const middleware = cors({
    // A refused origin resolves to `false`: the package then adds nothing at all.
    origin: any ? '*' : (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    // The answer depends on Origin for every request, refused or not, so shared caches must key
    // on it (Fetch §3.2.5, "CORS protocol and HTTP caches").
    if (!any) res.setHeader('Vary', 'Origin');
    // `next` is called with no error: the origin callback above never fails.
    middleware(req, res, () => listener(req, res));
  };
}
