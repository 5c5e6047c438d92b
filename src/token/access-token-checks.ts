/**
 * Is this JWT an access token we accept? The checks jose's `jwtVerify` does not make: header
 * rules before the signature is checked, claim rules after.
 * @see RFC 9068 §2.1, §2.2, §4; RFC 8725 §3.1, §3.11; DESIGN.md "Edge rules (decided)"
 */
import type { JWTHeaderParameters, JWTPayload } from 'jose';
import { ASYMMETRIC_ALGORITHMS, type TokenPolicy } from '../config/config.js';
import { InvalidTokenError } from '../errors.js';

/** The policy fields the checks read. */
export type AccessTokenPolicy = Pick<
  TokenPolicy,
  'algorithms' | 'requireAtJwt' | 'maxTokenLifetimeSeconds' | 'clockToleranceSeconds' | 'audienceClaim' | 'audiences'
>;

/** Header `typ` values an access token may carry, normalised (RFC 9068 §2.1; most IdPs send `JWT`). */
const ACCEPTED_TYP = new Set(['at+jwt', 'jwt']);
/** Keycloak's payload `typ` of tokens that are not access tokens (its access tokens say `Bearer`). */
const NOT_ACCESS_PAYLOAD_TYP = new Set(['id', 'refresh', 'offline', 'logout']);
/** Claims only an ID token carries (OpenID Connect Core §2, §3.1.3.6, §3.3.2.11). */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

/**
 * The algorithms handed to jose: the configured ones that are asymmetric. HMAC and `none`
 * never, whatever the configuration says (RFC 8725 §3.1, §3.2).
 */
export function allowedAlgorithms(policy: Pick<TokenPolicy, 'algorithms'>): string[] {
  const asymmetric: readonly string[] = ASYMMETRIC_ALGORITHMS;
  return policy.algorithms.filter((alg) => asymmetric.includes(alg));
}

/**
 * Header rules, checked on the unverified header so that a refused token costs no key fetch.
 * @throws {InvalidTokenError} `algorithm`, `header` or `token_type`
 */
export function checkHeader(header: JWTHeaderParameters, policy: AccessTokenPolicy): void {
  checkAlgorithm(header, policy);
  checkNoExtensions(header);
  checkHeaderType(header, policy);
}

/** RFC 8725 §3.1: the algorithm must be one we allow; `none` and HMAC never are. */
export function checkAlgorithm(header: JWTHeaderParameters, policy: Pick<TokenPolicy, 'algorithms'>): void {
  if (typeof header.alg !== 'string' || !allowedAlgorithms(policy).includes(header.alg)) {
    throw new InvalidTokenError('algorithm');
  }
}

/**
 * RFC 7515 §4.1.11: we understand no `crit` extension, so any `crit` is refused; RFC 7797 §3:
 * `b64` (unencoded payload) has no place in a JWT.
 */
export function checkNoExtensions(header: JWTHeaderParameters): void {
  if (Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64')) throw new InvalidTokenError('header');
}

/**
 * RFC 7515 §4.1.9: `typ` is compared case-insensitively, `application/` may be omitted.
 * RFC 9068 §2.1 asks for `at+jwt`; most providers send `JWT` or nothing, accepted unless
 * `requireAtJwt`. RFC 8725 §3.11: explicit typing tells token kinds apart.
 */
export function checkHeaderType(header: JWTHeaderParameters, policy: Pick<TokenPolicy, 'requireAtJwt'>): void {
  const typ: unknown = header.typ;
  if (typ === undefined) {
    if (policy.requireAtJwt) throw new InvalidTokenError('token_type');
    return;
  }
  if (typeof typ !== 'string') throw new InvalidTokenError('token_type');
  const normalised = typ.toLowerCase().replace(/^application\//, '');
  if (policy.requireAtJwt ? normalised !== 'at+jwt' : !ACCEPTED_TYP.has(normalised)) {
    throw new InvalidTokenError('token_type');
  }
}

/**
 * Claim rules, run on the verified payload in order.
 * A `cnf` (sender constraint) is not judged here but per request, by `confirmBinding`
 * (token-binding.ts): whether it is proven depends on the request, not on the token.
 * @throws {InvalidTokenError} `claims`, `lifetime`, `issued_in_future`, `audience`, `token_type`
 */
export function checkClaims(payload: JWTPayload, policy: AccessTokenPolicy, nowSeconds: number): void {
  checkClaimTypes(payload);
  checkAudienceClaim(payload, policy);
  checkIssuedAt(payload, policy, nowSeconds);
  checkLifetime(payload, policy);
  checkAccessTokenKind(payload);
}

/**
 * RFC 9068 §2.2: `sub`, `client_id`, `jti` are strings; `iat`, `exp` numbers; `scope` a string
 * (or array, Okta-style). `iat` may be left out only where its source makes it optional
 * (RFC 7662 §2.2 introspection answers).
 */
export function checkClaimTypes(payload: JWTPayload, options: { readonly iatOptional?: boolean } = {}): void {
  const iatAbsentAllowed = options.iatOptional === true && payload.iat === undefined;
  const bad =
    typeof payload.sub !== 'string' ||
    payload.sub.length === 0 ||
    (payload.client_id !== undefined && typeof payload.client_id !== 'string') ||
    (payload.jti !== undefined && typeof payload.jti !== 'string') ||
    (!iatAbsentAllowed && (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat))) ||
    typeof payload.exp !== 'number' ||
    (payload.scope !== undefined && !isStringOrStrings(payload.scope));
  if (bad) throw new InvalidTokenError('claims');
}

/**
 * When the audience lives in another claim than `aud` (Cognito access tokens carry the app
 * client in `client_id` and no `aud`), match it here, any-of like RFC 7519 §4.1.3.
 */
export function checkAudienceClaim(payload: JWTPayload, policy: Pick<TokenPolicy, 'audienceClaim' | 'audiences'>): void {
  if (policy.audienceClaim === 'aud') return; // jose checked `aud`
  if (!audienceMatches(payload, policy)) throw new InvalidTokenError('audience');
  // RFC 9068 §4: an `aud` that names another resource server says the token is not for us,
  // whichever claim we match on.
  if (payload.aud !== undefined && !audienceMatches(payload, { ...policy, audienceClaim: 'aud' })) throw new InvalidTokenError('audience');
}

/** RFC 7519 §4.1.3: the audience claim (a string or an array) names one of ours. */
export function audienceMatches(payload: JWTPayload, policy: Pick<TokenPolicy, 'audienceClaim' | 'audiences'>): boolean {
  const value = Object.hasOwn(payload, policy.audienceClaim) ? payload[policy.audienceClaim] : undefined;
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return values.some((v) => typeof v === 'string' && policy.audiences.includes(v));
}

/** RFC 7519 §4.1.6 with DESIGN.md's rule: an `iat` beyond the clock tolerance in the future is refused. */
export function checkIssuedAt(payload: JWTPayload, policy: Pick<TokenPolicy, 'clockToleranceSeconds'>, nowSeconds: number): void {
  if ((payload.iat as number) > nowSeconds + policy.clockToleranceSeconds) throw new InvalidTokenError('issued_in_future');
}

/** `exp - iat` above the maximum is refused; equal passes; the clock tolerance does not stretch it. */
export function checkLifetime(payload: JWTPayload, policy: Pick<TokenPolicy, 'maxTokenLifetimeSeconds'>): void {
  if ((payload.exp as number) - (payload.iat as number) > policy.maxTokenLifetimeSeconds) throw new InvalidTokenError('lifetime');
}

/**
 * Refuses JWTs that show they are not access tokens: ID tokens often share the API's audience
 * (RFC 9068 §4, RFC 8725 §3.11), so the audience check alone does not stop them.
 */
export function checkAccessTokenKind(payload: JWTPayload): void {
  const typ = payload.typ;
  if (typeof typ === 'string' && NOT_ACCESS_PAYLOAD_TYP.has(typ.toLowerCase())) throw new InvalidTokenError('token_type');
  // Cognito: `token_use` is `access` or `id`.
  if (payload.token_use !== undefined && payload.token_use !== 'access') throw new InvalidTokenError('token_type');
  if (ID_TOKEN_CLAIMS.some((claim) => Object.hasOwn(payload, claim))) throw new InvalidTokenError('token_type');
  // OpenID Connect Back-Channel Logout 1.0 §2.4: a logout token carries `events`.
  if (Object.hasOwn(payload, 'events')) throw new InvalidTokenError('token_type');
}

function isStringOrStrings(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}
