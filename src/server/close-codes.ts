/**
 * The one close-code table of the WebSocket transport, documented in the README: how a refused
 * connect, a token that stops being valid and every bound end a socket. Codes 4400/4401/4429 echo
 * the HTTP status of the same condition (`toHttpFailure`, the one outward table of DESIGN.md),
 * 1013 is RFC 6455's "try again later" (the 503 of WebSockets), 1001 "going away".
 *
 * Reasons are fixed phrases (at most 123 bytes, RFC 6455 §5.5): the reason phrases of
 * `src/errors.ts`, never a token, a claim value or an expected issuer.
 *
 * @see RFC 6455 §7.4.1 (defined codes), §7.4.2 (4000–4999: private use); README "Subscriptions"
 */
import { INVALID_TOKEN_REASONS, type AuthError } from '../errors.js';
import { toHttpFailure } from '../http-failure.js';

/** How the server closes a socket: a code and a short fixed reason. */
export interface SocketClose {
  readonly code: number;
  readonly reason: string;
}

/** The closes the transport decides itself (the rest map from an {@link AuthError}). */
export const SOCKET_CLOSES = {
  /** The token's `exp` (plus the clock tolerance) passed while the socket was open. */
  tokenExpired: { code: 4401, reason: INVALID_TOKEN_REASONS.expired },
  /** Its `jti` or its subject was revoked, on this instance or another of the fleet. */
  tokenRevoked: { code: 4401, reason: INVALID_TOKEN_REASONS.revoked },
  /** `connectionParams` that are not an object of strings where the token is read. */
  malformedParams: { code: 4400, reason: 'malformed connection params' },
  /** `WS_MAX_CONNECTIONS` sockets are already open on this process. */
  tooManyConnections: { code: 4429, reason: 'too many connections' },
  /** `WS_MAX_SUBSCRIPTIONS` operations already run on this socket. */
  tooManySubscriptions: { code: 4429, reason: 'too many subscriptions' },
  /** The server is stopping (SIGTERM, `close()`); reconnect to another instance. */
  shuttingDown: { code: 1001, reason: 'server shutting down' },
} as const satisfies Record<string, SocketClose>;

/** HTTP status of a refused request → close code of a refused connect. */
const CODE_BY_STATUS = {
  400: 4400, // invalid_request: a token in the URL, two credentials, a malformed value
  401: 4401, // invalid_token, or another scheme than Bearer
  403: 4403, // not reached at connect (authorization is per field), kept total
  500: 1011, // RFC 6455 §7.4.1: unexpected condition
  503: 1013, // RFC 6455 §7.4.1 (IANA registry): try again later
} as const;

/**
 * The close of a connect that `authenticate()` refused: the code of the HTTP status the same
 * refusal gets, and the same client-safe message.
 *
 * @example
 * ```ts
 * const result = await authenticate(credentials, { verifier });
 * if (result.kind === 'failure') { const { code, reason } = closeForAuthError(result.error); socket.close(code, reason); }
 * ```
 * @see RFC 6750 §3.1; RFC 6455 §7.4
 */
export function closeForAuthError(error: AuthError): SocketClose {
  const failure = toHttpFailure(error);
  return { code: CODE_BY_STATUS[failure.status], reason: failure.message };
}
