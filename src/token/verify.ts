/**
 * Is this bearer token acceptable, and whose is it? A JWT is verified against its issuer's keys
 * and the access-token rules; an opaque token is introspected; both results are cached, and
 * every result, cached or not, is checked against revocation.
 * @see RFC 9068 §4 (validating JWT access tokens), RFC 7662 (introspection), RFC 8725 §3
 */
import type { JWTHeaderParameters, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import type { TokenPolicy } from '../config/config.js';
import { AuthError, InvalidTokenError } from '../errors.js';
import { fingerprint, type Logger } from '../logger.js';
import { allowedAlgorithms, checkClaims, checkHeader } from './access-token-checks.js';
import { createVerificationCache, tokenCacheKey, type VerificationCacheOptions } from './cache.js';
import { createIntrospector, type SharedIntrospectionCache } from './introspect.js';
import { fromJoseError } from './jose-errors.js';
import { verifyWithKeySet } from './key-candidates.js';
import { classifyKeyError, createIssuerKeySet, type IssuerKeySet, type IssuerReadiness, type RetryOptions } from './keys.js';
import { toPrincipal, type Principal } from './principal.js';
import { classifyToken, decodeUnverifiedPayload } from './token-shape.js';
import { BEARER_PRESENTATION, confirmBinding, type Presentation } from './token-binding.js';
import type { RevocationStore } from '../revocation/store.js';
import { DEFAULT_MAX_TOKEN_LENGTH } from './extract.js';

/** Collaborators and knobs of {@link createTokenVerifier}. */
export interface TokenVerifierDeps {
  readonly logger?: Logger | undefined;
  /** Keys for every issuer, replacing discovery and remote fetching (the dev issuer uses it). */
  readonly keySet?: JWTVerifyGetKey | undefined;
  /** Clock, ms since the epoch; drives claim checks and caches (not jose's JWKS freshness). @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Checked on every call, cache hit or not. */
  readonly revocation?: RevocationStore | undefined;
  /** Verified-token cache options; `false` disables the cache. */
  readonly cache?: Omit<VerificationCacheOptions, 'now'> | false | undefined;
  /** Backoff while an issuer is unreachable. @default { initialMs: 1000, maxMs: 60000 } */
  readonly retry?: RetryOptions | undefined;
  /** Introspection results shared by a fleet (Redis), behind this process's own cache. */
  readonly introspectionCache?: SharedIntrospectionCache | undefined;
  /** Longest token looked at; longer is `malformed`. @default 16384 */
  readonly maxTokenLength?: number | undefined;
}

/** Verifies access tokens for one {@link TokenPolicy}. */
export interface TokenVerifier {
  /**
   * `presentation` says what this request proves of a bound token's key (DPoP proof, client
   * certificate); a token with `cnf` that it does not prove is refused.
   * @default presentation: a plain bearer token
   * @throws {InvalidTokenError} the token is not acceptable (reason says why)
   * @throws {TokenServiceUnavailableError} keys or introspection cannot be reached
   */
  verify(token: string, presentation?: Presentation): Promise<Principal>;
  /** Per issuer: is its key set usable? */
  readiness(): IssuerReadiness[];
  /** Resolves when every issuer's first discovery/fetch attempt has finished; true if all ready. */
  warmUp(): Promise<boolean>;
  /** Stops background retries. */
  close(): void;
}

/**
 * Creates the verifier of a policy: key sets per issuer (discovered in the background),
 * introspection when configured, a verified-token cache.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier(config.token, { logger, revocation });
 * const principal = await verifier.verify(token); // throws InvalidTokenError / TokenServiceUnavailableError
 * ```
 * @see RFC 9068 §4, RFC 8725 §3.1 (algorithms), §3.8 (issuer), §3.9 (audience), §3.11 (explicit typing)
 */
export function createTokenVerifier(policy: TokenPolicy, deps: TokenVerifierDeps = {}): TokenVerifier {
  const now = deps.now ?? Date.now;
  const logger = deps.logger;
  const maxLength = deps.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
  const cache = deps.cache === false ? undefined : createVerificationCache({ maxTtlMs: policy.remote.cacheMaxAgeMs, ...deps.cache, now });
  const introspector = policy.introspection ? createIntrospector(policy, { now, shared: deps.introspectionCache }) : undefined;
  // One key set per configured issuer, made up front: a token's `iss` never causes a fetch
  // from a URL we did not configure.
  // One key set serves one issuer: shared by several, issuer A's keys would validate tokens
  // that claim issuer B (RFC 8725 §3.8).
  if (deps.keySet && policy.issuers.length > 1) throw new TypeError('createTokenVerifier: keySet serves a single issuer; configure one issuer or let each issuer discover its keys');
  const injectedKeys = deps.keySet && classifyingKeys(deps.keySet);
  const keySets = new Map<string, IssuerKeySet>();
  if (!deps.keySet) {
    for (const issuer of policy.issuers) keySets.set(issuer, createIssuerKeySet(issuer, policy, { logger, retry: deps.retry }));
  }
  const algorithms = allowedAlgorithms(policy);
  const requiredClaims = ['iss', 'sub', 'exp', 'iat', ...(policy.requireAtJwt ? ['client_id', 'jti'] : [])];

  /** Step: route by the unverified `iss` to that issuer's keys only (RFC 8725 §3.8; mix-up defence). */
  const keysFor = (payload: JWTPayload): JWTVerifyGetKey => {
    const iss = payload.iss;
    if (typeof iss !== 'string' || !policy.issuers.includes(iss)) throw new InvalidTokenError('issuer');
    if (injectedKeys) return injectedKeys;
    return keySets.get(iss)!.getKey;
  };

  /** Steps of a JWT: header rules, issuer routing, signature + registered claims, access-token claims. */
  const verifyJwt = async (token: string, header: JWTHeaderParameters): Promise<Principal> => {
    checkHeader(header, policy);
    const claimed = decodeUnverifiedPayload(token);
    const getKey = keysFor(claimed);
    const options: JWTVerifyOptions = {
      algorithms,
      issuer: claimed.iss as string,
      ...(policy.audienceClaim === 'aud' ? { audience: [...policy.audiences] } : {}),
      clockTolerance: policy.clockToleranceSeconds,
      requiredClaims,
      currentDate: new Date(now()),
    };
    let payload: JWTPayload;
    try {
      payload = await verifyWithKeySet(token, getKey, options);
    } catch (error) {
      throw fromJoseError(error);
    }
    checkClaims(payload, policy, Math.floor(now() / 1000));
    return toPrincipal(payload, policy);
  };

  /** Steps of any token: shape, then JWT verification or introspection. */
  const verifyUncached = async (token: string): Promise<{ principal: Principal; cacheable: boolean }> => {
    const shape = classifyToken(token, maxLength);
    if (shape.kind === 'jws') return { principal: await verifyJwt(token, shape.header), cacheable: true };
    // Introspection keeps its own cache, bounded by cacheMaxSeconds as well as exp.
    if (introspector) return { principal: await introspector.introspect(token), cacheable: false };
    throw new InvalidTokenError('malformed');
  };

  /**
   * Per request, cached or not: revocation, then the sender constraint (RFC 9449 §7.1, RFC 8705
   * §3). Synchronous when the store answers synchronously (memory, or Redis's local copy): a
   * cache hit then costs no extra promise.
   */
  const checkRequest = (token: string, principal: Principal, presentation: Presentation): Principal | Promise<Principal> => {
    const revoked = deps.revocation?.isRevoked(principal) ?? false;
    if (typeof revoked === 'boolean') return admit(revoked, token, principal, presentation);
    return revoked.then((answer) => admit(answer, token, principal, presentation));
  };
  const admit = (revoked: boolean, token: string, principal: Principal, presentation: Presentation): Principal => {
    if (revoked) {
      logger?.debug({ reason: 'revoked', fingerprint: fingerprint(token) }, 'token refused');
      throw new InvalidTokenError('revoked');
    }
    confirmBinding(principal, presentation);
    return principal;
  };

  return {
    async verify(token, presentation = BEARER_PRESENTATION) {
      // Hashed once per request; an over-long token is refused before it costs a hash.
      const key = cache && token.length <= maxLength ? tokenCacheKey(token) : undefined;
      const hit = key === undefined ? undefined : cache?.get(key);
      if (hit) {
        if (!hit.ok) throw hit.error;
        return checkRequest(token, hit.principal, presentation);
      }
      let result: { principal: Principal; cacheable: boolean };
      try {
        result = await verifyUncached(token);
      } catch (error) {
        const failure = error instanceof AuthError ? error : fromJoseError(error);
        logFailure(logger, token, failure);
        // Refusals are remembered for seconds; "cannot check" never is.
        if (failure instanceof InvalidTokenError && key !== undefined) cache?.setFailure(key, failure);
        throw failure;
      }
      if (result.cacheable && key !== undefined) cache?.setPrincipal(key, result.principal);
      return checkRequest(token, result.principal, presentation);
    },
    readiness: () =>
      deps.keySet ? policy.issuers.map((issuer) => ({ issuer, ready: true })) : [...keySets.values()].map((k) => k.readiness()),
    warmUp: async () => (await Promise.all([...keySets.values()].map((k) => k.warmUp()))).every(Boolean),
    close: () => keySets.forEach((k) => k.close()),
  };
}

/** A caller's key lookup whose failures read like ours: unreachable is 503, an unknown kid 401. */
function classifyingKeys(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (error) {
      throw classifyKeyError(error);
    }
  };
}

function logFailure(logger: Logger | undefined, token: string, failure: AuthError): void {
  if (!logger) return;
  // Never the token: a short SHA-256 fingerprint correlates log lines (DESIGN.md "Security rules").
  const detail = failure.cause instanceof Error ? failure.cause.message : undefined;
  const fields = { code: failure.code, fingerprint: fingerprint(token), detail };
  // Debug: the request's one info line is written by whoever answers it (server/context.ts);
  // this one adds jose's detail for an operator who turns the level up.
  if (failure instanceof InvalidTokenError) logger.debug({ ...fields, reason: failure.reason }, 'token refused');
  else logger.warn(fields, 'token could not be checked');
}
