/**
 * What a request-level failure becomes on the wire: status, `WWW-Authenticate` challenge and
 * GraphQL code, for every transport — the one table of DESIGN.md's error model.
 *
 * @see RFC 6750 §3 (the WWW-Authenticate response header), §3.1 (error codes)
 */
import { wwwAuthenticate, type ChallengeScheme, type DpopChallengeOptions } from './challenge.js';
import {
  ForbiddenError, InsufficientUserAuthenticationError, InvalidDpopProofError, InvalidRequestError, InvalidTokenError,
  TokenServiceUnavailableError, UnauthenticatedError, UnexpectedAuthError, UnsupportedSchemeError, UseDpopNonceError,
  type AuthError,
} from './errors.js';

/** What a request-level failure becomes on the wire. */
export interface HttpFailure {
  readonly status: 400 | 401 | 403 | 500 | 503;
  /** GraphQL `extensions.code`. */
  readonly graphqlCode: 'BAD_REQUEST' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'INSUFFICIENT_USER_AUTHENTICATION' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';
  readonly headers: Readonly<Record<string, string>>;
  readonly message: string;
}

/** Options for the challenges built by {@link toHttpFailure}. */
export interface ChallengeOptions {
  /** RFC 9728 §5.1: the protected resource metadata URL, named in every challenge. */
  readonly resourceMetadata?: string | undefined;
  /** Where DPoP is accepted: a `DPoP` challenge beside (or instead of) `Bearer` (RFC 9449 §7.1). */
  readonly dpop?: DpopChallengeOptions | undefined;
}

/**
 * Maps a request-level {@link AuthError} to its HTTP status, `WWW-Authenticate` challenge and
 * GraphQL code: the one table of DESIGN.md's error model.
 * @see RFC 6750 §3, §3.1; RFC 9449 §7.1, §9; RFC 9470 §3; RFC 9728 §5.1
 */
export function toHttpFailure(error: AuthError, options: ChallengeOptions = {}): HttpFailure {
  const extra: Record<string, string> = options.resourceMetadata ? { resource_metadata: options.resourceMetadata } : {};
  const unauthorized = (scheme: ChallengeScheme, params: Record<string, string>, headers: Record<string, string> = {}): HttpFailure => ({
    status: 401,
    graphqlCode: 'UNAUTHENTICATED',
    headers: { 'www-authenticate': wwwAuthenticate(scheme, params, extra, options.dpop), ...headers },
    message: error.message,
  });
  if (error instanceof InvalidRequestError) {
    const params = { error: 'invalid_request', error_description: error.message };
    return { status: 400, graphqlCode: 'BAD_REQUEST', headers: { 'www-authenticate': wwwAuthenticate('Bearer', params, extra, options.dpop) }, message: error.message };
  }
  // RFC 6750 §3.1: no error attribute when the request lacks (Bearer) credentials.
  if (error instanceof UnsupportedSchemeError || error instanceof UnauthenticatedError) return unauthorized('Bearer', {});
  if (error instanceof InvalidTokenError) return unauthorized(error.scheme, { error: 'invalid_token', error_description: error.message });
  if (error instanceof InvalidDpopProofError) return unauthorized('DPoP', { error: 'invalid_dpop_proof', error_description: error.message });
  // RFC 9449 §9: the nonce to use travels in the DPoP-Nonce header.
  if (error instanceof UseDpopNonceError) return unauthorized('DPoP', { error: 'use_dpop_nonce', error_description: error.message }, { 'dpop-nonce': error.nonce });
  if (error instanceof InsufficientUserAuthenticationError) {
    const params = {
      error: 'insufficient_user_authentication',
      error_description: error.message,
      ...(error.acrValues !== undefined ? { acr_values: error.acrValues } : {}),
      ...(error.maxAge !== undefined ? { max_age: String(error.maxAge) } : {}),
    };
    return { ...unauthorized('Bearer', params), graphqlCode: 'INSUFFICIENT_USER_AUTHENTICATION' };
  }
  if (error instanceof TokenServiceUnavailableError) {
    return { status: 503, graphqlCode: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': String(error.retryAfterSeconds) }, message: error.message };
  }
  if (error instanceof UnexpectedAuthError) {
    return { status: 500, graphqlCode: 'INTERNAL_SERVER_ERROR', headers: {}, message: error.message };
  }
  if (error instanceof ForbiddenError) {
    const params = { error: 'insufficient_scope', ...(error.scope ? { scope: error.scope } : {}) };
    return { status: 403, graphqlCode: 'FORBIDDEN', headers: { 'www-authenticate': wwwAuthenticate('Bearer', params, extra, options.dpop) }, message: error.message };
  }
  throw new TypeError(`unmapped AuthError ${error.code}`);
}
