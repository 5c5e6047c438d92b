/**
 * Which bearer token, if any, a request carries.
 * @see RFC 6750 §2 (methods of sending a bearer token)
 */
import { InvalidRequestError, UnsupportedSchemeError } from '../errors.js';

/**
 * What a transport can tell about a request's credentials: its `Authorization` header value(s)
 * and, for HTTP, where a token must not be (the URL, the body). A WebSocket connect supplies the
 * header value from `connectionParams`; an HTTP adapter every `Authorization` header it received.
 */
export interface Credentials {
  /**
   * Every `Authorization` value received, in order. Two headers are two values: read them from
   * Node's `rawHeaders`, since `headers` joins duplicates with ", ". Absent or empty: anonymous.
   */
  readonly authorization?: string | readonly string[] | undefined;
  /** Path and query, e.g. `/graphql?query=…`: a token in it is refused. @default '/' */
  readonly url?: string | undefined;
  /** The `Content-Type` header, when the body has been read. */
  readonly contentType?: string | undefined;
  /** The parsed body (form fields as an object or `URLSearchParams`, JSON as parsed), or a raw form string. */
  readonly body?: unknown;
  /** Every `DPoP` header value received, in order (RFC 9449 §4.3 check 1: exactly one). */
  readonly dpop?: string | readonly string[] | undefined;
  /** The HTTP method, as sent (RFC 9449 §4.3 check 8: `htm`). */
  readonly method?: string | undefined;
  /**
   * base64url SHA-256 of the DER client certificate of this connection (RFC 8705 §3.1
   * `x5t#S256`), when the transport authenticated one.
   */
  readonly certificateThumbprint?: string | undefined;
}

/** A token and the scheme it came with. */
export interface PresentedToken {
  readonly scheme: 'Bearer' | 'DPoP';
  readonly token: string;
}

/** Options of {@link extractBearerToken}. */
export interface ExtractOptions {
  /**
   * Longest accepted token, in characters. Longer is refused before any decoding work.
   * @default 16384
   */
  readonly maxTokenLength?: number;
  /**
   * Accept `Authorization: DPoP <token>` too (RFC 9449 §7.1); otherwise DPoP is another scheme.
   * @default false
   */
  readonly dpop?: boolean;
}

/** Default of {@link ExtractOptions.maxTokenLength}: 16 KiB. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

/** Fixed, client-safe phrases (RFC 6750 §3: no `"` or `\`). */
const MESSAGES = {
  twoHeaders: 'more than one authorization header',
  badHeader: 'malformed authorization header',
  tooLong: 'authorization header is too long',
  inQuery: 'access token must not be sent in the URL',
  inBody: 'access token must not be sent in the body',
  fragment: 'request target must not have a fragment',
} as const;

/** Operations of a batched body looked at; a batch beyond this is refused by the server anyway. */
const MAX_BATCH_CHECKED = 1_000;
/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** `Bearer`, case-insensitive (RFC 7235 §2.1: auth-scheme is case-insensitive), then 1*SP. */
const BEARER = /^bearer(?: +|$)/i;
/** `DPoP`, the same way (RFC 9449 §7.1: `DPoP` then a token68). */
const DPOP = /^dpop(?: +|$)/i;
/** An auth-scheme token (RFC 7230 §3.2.6 tchar), to tell "another scheme" from garbage. */
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?: |$)/;

/**
 * Returns the bearer token of a request, `null` when it has no `Authorization` header.
 *
 * Only the `Authorization` header is accepted, on every method: RFC 6750 §2.2/§2.3 (form body,
 * URI query) are refused as `invalid_request`, because §5.3 warns against tokens in URLs
 * and logs, and §2 forbids more than one method per request.
 *
 * A token longer than `maxTokenLength` is `invalid_request` (400), not `invalid_token`: the
 * request is refused on its shape before the value is looked at.
 *
 * @example
 * ```ts
 * const token = extractBearerToken({ authorization: headerValue, url: '/graphql' });
 * if (token === null) { // anonymous
 * }
 * ```
 * @throws {InvalidRequestError} token in URL/body, two headers, malformed or too long header
 * @throws {UnsupportedSchemeError} an `Authorization` header of another scheme
 * @see RFC 6750 §2.1, §2.2, §2.3, §3.1; RFC 7235 §2.1
 */
export function extractBearerToken(request: Credentials, options: Omit<ExtractOptions, 'dpop'> = {}): string | null {
  return extractAccessToken(request, options)?.token ?? null;
}

/**
 * Returns the access token of a request and its scheme (`Bearer`, or `DPoP` when
 * `options.dpop`), `null` when it has no `Authorization` header; the rules of
 * {@link extractBearerToken} otherwise.
 * @see RFC 6750 §2; RFC 9449 §7.1
 */
export function extractAccessToken(request: Credentials, options: ExtractOptions = {}): PresentedToken | null {
  const maxLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  // RFC 6750 §2: "Clients MUST NOT use more than one method to transmit the token in each request."
  // RFC 9110 §7.1: a fragment is never part of a request target; one sent anyway could carry a
  // token past the query check below while the GraphQL layer still reads it.
  const url = request.url ?? '/';
  if (url.includes('#')) throw new InvalidRequestError(MESSAGES.fragment);
  if (queryHasAccessToken(url)) throw new InvalidRequestError(MESSAGES.inQuery);
  if (bodyHasAccessToken(request.contentType, request.body)) throw new InvalidRequestError(MESSAGES.inBody);

  const values = typeof request.authorization === 'string' ? [request.authorization] : (request.authorization ?? []);
  if (values.length === 0) return null;
  if (values.length > 1) throw new InvalidRequestError(MESSAGES.twoHeaders);

  // Length guard first, on the raw value: nothing below may scan a megabyte header. (A regex
  // trim here was quadratic on a value padded with spaces.)
  const raw = values[0]!;
  if (raw.length > maxLength + 'Bearer '.length + 64) throw new InvalidRequestError(MESSAGES.tooLong);
  // RFC 7230 §3.2.4: optional whitespace around a field value is not part of it.
  const value = raw.trim();

  const bearer = BEARER.exec(value);
  const dpop = bearer || !options.dpop ? null : DPOP.exec(value);
  const prefix = bearer ?? dpop;
  if (!prefix) {
    // Another scheme (Basic, DPoP while off, …) is not our business: 401 with a bare challenge.
    if (SCHEME.test(value)) throw new UnsupportedSchemeError();
    throw new InvalidRequestError(MESSAGES.badHeader);
  }
  const token = value.slice(prefix[0].length);
  if (token.length === 0 || !B64TOKEN.test(token)) throw new InvalidRequestError(MESSAGES.badHeader);
  if (token.length > maxLength) throw new InvalidRequestError(MESSAGES.tooLong);
  return { scheme: bearer ? 'Bearer' : 'DPoP', token };
}

/** RFC 6750 §2.3: `access_token` as a query parameter, even empty. */
function queryHasAccessToken(url: string): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  return new URLSearchParams(url.slice(q + 1)).has('access_token');
}

/** RFC 6750 §2.2: a form-encoded `access_token`; and its JSON cousin, a top-level member. */
function bodyHasAccessToken(contentType: string | undefined, body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (body instanceof URLSearchParams) return body.has('access_token');
  if (typeof body === 'string') {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    return type === 'application/x-www-form-urlencoded' && new URLSearchParams(body).has('access_token');
  }
  // A batched GraphQL request is an array of operations: each is a top-level object.
  if (Array.isArray(body)) return body.slice(0, MAX_BATCH_CHECKED).some(hasOwnAccessToken);
  return hasOwnAccessToken(body);
}

/** Own property only: a prototype's `access_token` was not sent by the client. */
function hasOwnAccessToken(operation: unknown): boolean {
  return typeof operation === 'object' && operation !== null && Object.hasOwn(operation, 'access_token');
}
