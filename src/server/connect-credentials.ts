/**
 * What a graphql-ws `connection_init` carries as credentials, for {@link authenticate}: the
 * `Authorization` member of `connectionParams` (the header a browser WebSocket cannot set), and
 * the upgrade request's URL, where a token is refused (RFC 6750 §2.3, §5.3: URLs are logged), and
 * the thumbprint of the connection's client certificate (RFC 8705 §3).
 * @see RFC 6750 §2; README "Subscriptions"
 */
import type { Credentials } from '../token/extract.js';

/** The member names read, as clients send them (Apollo's docs write both). */
const NAMES = ['Authorization', 'authorization'] as const;

/**
 * The credentials of a connect, or `undefined` when `connectionParams` are malformed (not an
 * object, or an `Authorization` that is not a string): closed 4400, never taken as anonymous.
 * Both names given are two credentials, which `authenticate()` refuses as two headers.
 *
 * @example
 * ```ts
 * const credentials = connectCredentials(ctx.connectionParams, request.url);
 * if (credentials === undefined) socket.close(4400, 'malformed connection params');
 * ```
 */
export function connectCredentials(params: unknown, url: string | undefined, certificateThumbprint?: string): Credentials | undefined {
  // The URL is checked even with no params: a token in it is refused, not ignored.
  if (params === undefined || params === null) return { authorization: [], url: url ?? '/', certificateThumbprint };
  if (typeof params !== 'object' || Array.isArray(params)) return undefined;
  const authorization: string[] = [];
  for (const name of NAMES) {
    // Own members only: a prototype's `Authorization` was not sent by the client.
    if (!Object.prototype.hasOwnProperty.call(params, name)) continue;
    const value = (params as Record<string, unknown>)[name];
    if (typeof value !== 'string') return undefined;
    authorization.push(value);
  }
  return { authorization, url: url ?? '/', certificateThumbprint };
}
