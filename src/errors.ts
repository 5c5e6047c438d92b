/**
 * Domain errors of gatepass: one class per condition, each with a stable `code`, the upstream
 * failure kept as `cause`, and one exhaustive mapping outward ({@link toHttpFailure}).
 *
 * Messages of these errors are safe to show a client: they never carry the token, an expected
 * issuer, audience or key, nor a claim value. Details for operators go to the log.
 *
 * @see RFC 6750 §3 (the WWW-Authenticate response header), §3.1 (error codes)
 */

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

  constructor(reason: InvalidTokenReason, options?: { cause?: unknown }) {
    super(INVALID_TOKEN_REASONS[reason], options);
    this.reason = reason;
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

/** What a request-level failure becomes on the wire. */
export interface HttpFailure {
  readonly status: 400 | 401 | 403 | 500 | 503;
  /** GraphQL `extensions.code`. */
  readonly graphqlCode: 'BAD_REQUEST' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';
  readonly headers: Readonly<Record<string, string>>;
  readonly message: string;
}

/** Options for the challenges built by {@link toHttpFailure}. */
export interface ChallengeOptions {
  /** RFC 9728 §5.1: the protected resource metadata URL, named in every challenge. */
  readonly resourceMetadata?: string | undefined;
}

/**
 * Maps a request-level {@link AuthError} to its HTTP status, `WWW-Authenticate` challenge and
 * GraphQL code: the one table of DESIGN.md's error model.
 * @see RFC 6750 §3, §3.1; RFC 9728 §5.1
 */
export function toHttpFailure(error: AuthError, options: ChallengeOptions = {}): HttpFailure {
  const challenge = (params: Record<string, string>): string =>
    bearerChallenge({ ...params, ...(options.resourceMetadata ? { resource_metadata: options.resourceMetadata } : {}) });
  if (error instanceof InvalidRequestError) {
    return {
      status: 400,
      graphqlCode: 'BAD_REQUEST',
      headers: { 'www-authenticate': challenge({ error: 'invalid_request', error_description: error.message }) },
      message: error.message,
    };
  }
  if (error instanceof UnsupportedSchemeError) {
    // RFC 6750 §3.1: no error attribute when the request lacks (Bearer) credentials.
    return { status: 401, graphqlCode: 'UNAUTHENTICATED', headers: { 'www-authenticate': challenge({}) }, message: error.message };
  }
  if (error instanceof InvalidTokenError) {
    return {
      status: 401,
      graphqlCode: 'UNAUTHENTICATED',
      headers: { 'www-authenticate': challenge({ error: 'invalid_token', error_description: error.message }) },
      message: error.message,
    };
  }
  if (error instanceof TokenServiceUnavailableError) {
    return {
      status: 503,
      graphqlCode: 'SERVICE_UNAVAILABLE',
      headers: { 'retry-after': String(error.retryAfterSeconds) },
      message: error.message,
    };
  }
  if (error instanceof UnexpectedAuthError) {
    return { status: 500, graphqlCode: 'INTERNAL_SERVER_ERROR', headers: {}, message: error.message };
  }
  if (error instanceof UnauthenticatedError) {
    return { status: 401, graphqlCode: 'UNAUTHENTICATED', headers: { 'www-authenticate': challenge({}) }, message: error.message };
  }
  if (error instanceof ForbiddenError) {
    return {
      status: 403,
      graphqlCode: 'FORBIDDEN',
      headers: { 'www-authenticate': challenge({ error: 'insufficient_scope', ...(error.scope ? { scope: error.scope } : {}) }) },
      message: error.message,
    };
  }
  throw new TypeError(`unmapped AuthError ${error.code}`);
}

/**
 * Builds a `WWW-Authenticate: Bearer …` value. Values must already be RFC 6750 §3 characters
 * (%x20-21 / %x23-5B / %x5D-7E): they come from fixed phrases, never from a request.
 */
export function bearerChallenge(params: Readonly<Record<string, string>>): string {
  const parts = Object.entries(params).map(([name, value]) => `${name}="${value}"`);
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}
