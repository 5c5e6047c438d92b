/**
 * What a jose failure means for the request: an {@link InvalidTokenError} reason (401) or
 * {@link TokenServiceUnavailableError} (503), with jose's error kept as `cause`.
 * @see RFC 6750 §3.1 (`invalid_token`), DESIGN.md "Error model"
 */
import { errors } from 'jose';
import { AuthError, InvalidTokenError, TokenServiceUnavailableError, type InvalidTokenReason } from '../errors.js';

/** `ERR_JWT_CLAIM_VALIDATION_FAILED` by claim; a claim not listed is `claims`. */
const CLAIM_REASONS: Readonly<Record<string, InvalidTokenReason>> = {
  iss: 'issuer',
  aud: 'audience',
  nbf: 'not_yet_valid',
  typ: 'token_type',
  iat: 'issued_in_future',
};

/** Codes of failures on our side of the wire: the key set could not be obtained. */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JWK_INVALID']);

/**
 * Maps an error thrown by `jwtVerify` (or its key resolver) to a gatepass error. gatepass's own
 * errors pass through unchanged. Anything unknown is refused as `malformed`: fail closed.
 *
 * @example
 * ```ts
 * try { await jwtVerify(token, getKey, options); } catch (e) { throw fromJoseError(e); }
 * ```
 */
export function fromJoseError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const cause = { cause: error };
  if (!(error instanceof errors.JOSEError)) {
    // WebCrypto refusing a key for the algorithm (wrong key type or size): the key does not fit the alg.
    if (error instanceof TypeError) return new InvalidTokenError('algorithm', cause);
    return new InvalidTokenError('malformed', cause);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    // A missing or mistyped claim (`reason` "missing"/"invalid") is `claims`, except the
    // audience, whose absence is an audience failure.
    if (error.claim === 'aud') return new InvalidTokenError('audience', cause);
    if (error.reason !== 'check_failed') return new InvalidTokenError('claims', cause);
    return new InvalidTokenError(CLAIM_REASONS[error.claim] ?? 'claims', cause);
  }
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return new InvalidTokenError('expired', cause);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new InvalidTokenError('signature', cause);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new InvalidTokenError('algorithm', cause);
    case 'ERR_JOSE_NOT_SUPPORTED':
      // Unrecognised `crit` is caught before jose by checkNoExtensions; what is left is the alg.
      return new InvalidTokenError('algorithm', cause);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new InvalidTokenError('unknown_key', cause);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new InvalidTokenError('malformed', cause);
    default:
      if (UNAVAILABLE_CODES.has(error.code)) return new TokenServiceUnavailableError(cause);
      return new InvalidTokenError('malformed', cause);
  }
}
