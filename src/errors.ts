/**
 * Domain errors of gatepass: one class per condition, each with a stable `code` and the upstream
 * failure kept as `cause`. What each becomes on the wire is the one table of http-failure.ts.
 *
 * Messages of these errors are safe to show a client: they never carry the token, an expected
 * issuer, audience or key, nor a claim value. Details for operators go to the log.
 *
 * @see RFC 6750 §3 (the WWW-Authenticate response header), §3.1 (error codes)
 */
import { DPOP_PROOF_REASONS, type ChallengeScheme, type DpopProofReason } from './challenge.js';

/** Why a presented token was refused; each has a fixed, client-safe phrase. */
export const INVALID_TOKEN_REASONS = {
  malformed: 'token is malformed',
  signature: 'signature is invalid',
  algorithm: 'algorithm is not allowed',
  unknown_key: 'signing key is unknown',
  expired: 'token expired',
  not_yet_valid: 'token is not yet valid',
  issued_in_future: 'token issued in the future',
  lifetime: 'token lifetime is too long',
  issuer: 'issuer is not accepted',
  audience: 'audience is not accepted',
  token_type: 'not an access token',
  claims: 'required claim is missing or invalid',
  header: 'token header is not accepted',
  sender_constrained: 'sender-constrained token presented as bearer',
  not_bound: 'token is not bound to a key',
  key_binding: 'token is not bound to the proof key',
  certificate_binding: 'token is not bound to this client certificate',
  dpop_required: 'token must be presented with a dpop proof',
  inactive: 'token is not active',
  revoked: 'token was revoked',
} as const;

/** A reason code for {@link InvalidTokenError}. */
export type InvalidTokenReason = keyof typeof INVALID_TOKEN_REASONS;

/** Base class of every gatepass error that decides a request's outcome. */
export abstract class AuthError extends Error {
  /** Stable, machine-readable code, e.g. `ERR_INVALID_TOKEN`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The request is malformed as far as credentials go: a token in the URL or the body, two
 * credentials, a malformed `Authorization` header.
 * @see RFC 6750 §3.1 `invalid_request` (HTTP 400)
 */
export class InvalidRequestError extends AuthError {
  readonly code = 'ERR_INVALID_REQUEST';
}

/**
 * Credentials of another scheme than Bearer (`Basic`, `DPoP` while unsupported).
 * @see RFC 6750 §3: answered with a bare `Bearer` challenge, no error attribute
 */
export class UnsupportedSchemeError extends AuthError {
  readonly code = 'ERR_UNSUPPORTED_SCHEME';
  constructor(options?: { cause?: unknown }) {
    super('authorization scheme is not supported', options);
  }
}

/**
 * A token was presented and is not acceptable: expired, badly signed, wrong issuer or audience,
 * not an access token, revoked, …
 * @see RFC 6750 §3.1 `invalid_token` (HTTP 401)
 */
export class InvalidTokenError extends AuthError {
  readonly code = 'ERR_INVALID_TOKEN';
  readonly reason: InvalidTokenReason;
  /** The scheme the token came with: the challenge carrying the error (RFC 9449 §7.1). */
  readonly scheme: ChallengeScheme;

  constructor(reason: InvalidTokenReason, options?: { cause?: unknown; scheme?: ChallengeScheme }) {
    super(INVALID_TOKEN_REASONS[reason], options);
    this.reason = reason;
    this.scheme = options?.scheme ?? 'Bearer';
  }
}

/**
 * A DPoP proof was missing, malformed or did not match the request or the token.
 * @see RFC 9449 §4.3, §7.1 `invalid_dpop_proof` (HTTP 401)
 */
export class InvalidDpopProofError extends AuthError {
  readonly code = 'ERR_INVALID_DPOP_PROOF';
  readonly reason: DpopProofReason;
  constructor(reason: DpopProofReason, options?: { cause?: unknown }) {
    super(DPOP_PROOF_REASONS[reason], options);
    this.reason = reason;
  }
}

/**
 * The proof lacks the server's current nonce: the client retries with the one in `DPoP-Nonce`.
 * @see RFC 9449 §8, §9 `use_dpop_nonce` (HTTP 401)
 */
export class UseDpopNonceError extends AuthError {
  readonly code = 'ERR_USE_DPOP_NONCE';
  /** The nonce to use, sent in the `DPoP-Nonce` header. */
  readonly nonce: string;
  constructor(nonce: string) {
    super('dpop proof must carry the server nonce');
    this.nonce = nonce;
  }
}

/**
 * The token could not be checked: the key set or the introspection endpoint is unreachable.
 * "We cannot check" is never "your token is bad": HTTP 503 with `Retry-After`.
 */
export class TokenServiceUnavailableError extends AuthError {
  readonly code = 'ERR_TOKEN_SERVICE_UNAVAILABLE';
  /** Seconds a client should wait before retrying. */
  readonly retryAfterSeconds: number;

  constructor(options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('token service unavailable', options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}

/**
 * Authentication failed for a reason that is not the request's: a bug or a broken dependency
 * (the upstream error is the `cause`, logged, never shown). Fail closed: HTTP 500, nothing runs.
 */
export class UnexpectedAuthError extends AuthError {
  readonly code = 'ERR_UNEXPECTED';
  constructor(options?: { cause?: unknown }) {
    super('internal server error', options);
  }
}

/** A guarded field was requested without any principal (GraphQL code `UNAUTHENTICATED`). */
export class UnauthenticatedError extends AuthError {
  readonly code = 'ERR_UNAUTHENTICATED';
  constructor() {
    super('authentication required');
  }
}

/**
 * The principal lacks the scopes or roles a field requires (GraphQL code `FORBIDDEN`).
 * @see RFC 6750 §3.1 `insufficient_scope`
 */
export class ForbiddenError extends AuthError {
  readonly code = 'ERR_FORBIDDEN';
  /**
   * The scopes the request needs, space-separated, for the challenge's `scope` attribute
   * (RFC 6750 §3); only scope-token characters, never from the request itself.
   */
  readonly scope: string;

  constructor(options: { scope?: string } = {}) {
    super('not authorized');
    this.scope = options.scope ?? '';
  }
}

/**
 * The principal holds the scopes and roles, but its login is not strong or recent enough
 * (GraphQL code `INSUFFICIENT_USER_AUTHENTICATION`).
 * @see RFC 9470 §3 `insufficient_user_authentication` (HTTP 401, `acr_values`, `max_age`)
 */
export class InsufficientUserAuthenticationError extends AuthError {
  readonly code = 'ERR_INSUFFICIENT_USER_AUTHENTICATION';
  /** What to request of the authorization server; fixed schema values, never from the request. */
  readonly acrValues: string | undefined;
  readonly maxAge: number | undefined;
  constructor(options: { acrValues?: string | undefined; maxAge?: number | undefined } = {}) {
    super('a stronger or more recent authentication is required');
    this.acrValues = options.acrValues;
    this.maxAge = options.maxAge;
  }
}
