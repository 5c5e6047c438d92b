import type { TokenPolicy } from '../config/config.js';
import { InvalidTokenError } from '../errors.js';
import {
  audienceMatches,
  checkAccessTokenKind,
  checkAudienceClaim,
  checkClaimTypes,
  checkIssuedAt,
  checkLifetime,
} from './access-token-checks.js';
import { toPrincipal, type Principal } from './principal.js';

/** Token types an introspection response may name for an access token (RFC 7662 §2.2, RFC 6750 §1). */
const ACCESS_TOKEN_TYPES = new Set(['bearer', 'access_token', 'urn:ietf:params:oauth:token-type:access_token']);

/**
 * Decides on one introspection response (RFC 7662 §2.2) with the same access-token rules as a
 * JWT's claims: audience, claim types, time, token kind. A `cnf` is confirmed per request, as a
 * JWT's is (token-binding.ts): RFC 7662 §2.2 lets the response carry it.
 */
export function judgeIntrospection(response: Record<string, unknown>, policy: TokenPolicy, nowSeconds: number): Principal {
  // §2.2: `active` is REQUIRED; anything but the boolean true is inactive.
  if (response.active !== true) throw new InvalidTokenError('inactive');
  const claims: Record<string, unknown> = { ...response };
  delete claims.active;
  const tokenType = claims.token_type;
  if (tokenType !== undefined && (typeof tokenType !== 'string' || !ACCESS_TOKEN_TYPES.has(tokenType.toLowerCase()))) {
    throw new InvalidTokenError('token_type');
  }
  if (claims.iss === undefined && policy.issuers.length === 1) claims.iss = policy.issuers[0];
  if (typeof claims.iss !== 'string' || !policy.issuers.includes(claims.iss)) throw new InvalidTokenError('issuer');
  if (!audienceMatches(claims, policy)) throw new InvalidTokenError('audience');
  checkAudienceClaim(claims, policy);
  // §2.2 makes `sub` OPTIONAL, and servers leave it out of client-credentials tokens: the
  // client is then the subject, as RFC 9068 §2.2 says of JWT access tokens.
  if (claims.sub === undefined && typeof claims.client_id === 'string') claims.sub = claims.client_id;
  // §2.2 makes `iat` OPTIONAL too: the server vouches for the token being active; the rules
  // that need `iat` (future issue, lifetime) apply when it is there.
  checkClaimTypes(claims, { iatOptional: true });
  // §2.2: `scope` is a space-separated string here, never Okta's JWT-style array.
  if (claims.scope !== undefined && typeof claims.scope !== 'string') throw new InvalidTokenError('claims');
  const exp = claims.exp as number;
  if (exp <= nowSeconds - policy.clockToleranceSeconds) throw new InvalidTokenError('expired');
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') throw new InvalidTokenError('claims');
    if (claims.nbf > nowSeconds + policy.clockToleranceSeconds) throw new InvalidTokenError('not_yet_valid');
  }
  if (claims.iat !== undefined) {
    checkIssuedAt(claims, policy, nowSeconds);
    checkLifetime(claims, policy);
  }
  checkAccessTokenKind(claims);
  return toPrincipal(claims, policy);
}
