/**
 * Which key verifies an issuer's tokens: the issuer's JWKS, found by configuration or discovery,
 * fetched and cached by jose's remote key set, retried with backoff while unreachable.
 * @see RFC 7517 §5 (JWK Set), RFC 8414 §2 (`jwks_uri`), RFC 8725 §3.10 (never trust header keys)
 */
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';
import type { TokenPolicy } from '../config/config.js';
import { AuthError, InvalidTokenError, TokenServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readBounded } from './read-bounded.js';
import { discoverJwksUri } from './discovery.js';

/** Whether one issuer's key set can be used; for `/readyz` and operators, never for clients. */
export interface IssuerReadiness {
  readonly issuer: string;
  /** A key set is held and fresh, or the last fetch succeeded. */
  readonly ready: boolean;
  /** The last failure (discovery or key set fetch), for operators. */
  readonly lastError?: string;
}

/** Backoff between attempts while an issuer is unreachable. */
export interface RetryOptions {
  /** @default 1000 */
  readonly initialMs: number;
  /** @default 60000 */
  readonly maxMs: number;
}

/** One issuer's keys. */
export interface IssuerKeySet {
  /** Resolves the verification key of a token's protected header; only `alg` and `kid` are read. */
  readonly getKey: JWTVerifyGetKey;
  readiness(): IssuerReadiness;
  /** Resolves when the first discovery + fetch attempt has finished; true when ready. */
  warmUp(): Promise<boolean>;
  /** Stops background retries. */
  close(): void;
}

/** Largest key set read; real ones are a few KiB. */
const MAX_JWKS_BYTES = 512 * 1024;

const DEFAULT_RETRY: RetryOptions = { initialMs: 1_000, maxMs: 60_000 };

/** Thrown instead of fetching while backing off; not a new failure, so not recorded again. */
class BackingOffError extends Error {
  constructor() {
    super('key set endpoint is backing off after a failure');
  }
}

/**
 * Creates the key set of one issuer. Never throws for an unreachable issuer: discovery and the
 * first fetch are retried in the background with exponential backoff, and meanwhile
 * `getKey` throws {@link TokenServiceUnavailableError} (DESIGN.md: unreachable is not misconfigured).
 *
 * Keys come only from the JWKS: `jku`, `x5u`, `jwk` and `x5c` headers are never read
 * (RFC 8725 §3.10; jose's remote set matches on `alg`/`kty` and `kid` only).
 *
 * @example
 * ```ts
 * const keys = createIssuerKeySet('https://as.example.com', policy, { logger });
 * await jwtVerify(token, keys.getKey, { issuer: 'https://as.example.com', algorithms: ['RS256'] });
 * ```
 * @see RFC 8414 §3 (discovery), jose `createRemoteJWKSet` (timeout, cooldown, cache max age)
 */
export function createIssuerKeySet(
  issuer: string,
  policy: Pick<TokenPolicy, 'jwksUri' | 'remote'>,
  deps: { readonly logger?: Logger | undefined; readonly retry?: RetryOptions | undefined } = {},
): IssuerKeySet {
  const retry = deps.retry ?? DEFAULT_RETRY;
  let remote: ReturnType<typeof createRemoteJWKSet> | undefined;
  let healthy = false;
  let lastError: string | undefined;
  let delayMs = retry.initialMs;
  let blockedUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const recordFailure = (error: unknown): void => {
    // A request refused during the backoff is the same outage: no new log line, no longer block.
    if (error instanceof BackingOffError) return;
    healthy = false;
    lastError = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    // While failing, requests fail fast instead of each one hitting the endpoint again.
    blockedUntil = Date.now() + delayMs;
    deps.logger?.warn({ issuer, err: lastError, retryInMs: delayMs }, 'issuer key set unavailable');
    scheduleRetry();
  };
  const recordSuccess = (): void => {
    if (!healthy && lastError) deps.logger?.info({ issuer }, 'issuer key set available again');
    healthy = true;
    lastError = undefined;
    delayMs = retry.initialMs;
    blockedUntil = 0;
  };

  // Wraps fetch only to observe outcomes and to back off; jose still owns the request.
  const observingFetch: FetchImplementation = async (url, init) => {
    if (Date.now() < blockedUntil) throw new BackingOffError();
    const response = await fetch(url, init);
    if (response.status !== 200) return response;
    // jose would read any size with response.json(): a key set is small, so bound it.
    const body = await readBounded(response, MAX_JWKS_BYTES);
    recordSuccess();
    return new Response(body, { status: response.status, headers: response.headers });
  };

  const attempt = async (): Promise<void> => {
    try {
      if (!remote) {
        const jwksUri = policy.jwksUri ?? (await discoverJwksUri(issuer, { timeoutMs: policy.remote.timeoutMs }));
        remote = createRemoteJWKSet(jwksUri, {
          timeoutDuration: policy.remote.timeoutMs,
          cooldownDuration: policy.remote.cooldownMs,
          cacheMaxAge: policy.remote.cacheMaxAgeMs,
          [customFetch]: observingFetch,
        });
      }
      blockedUntil = 0;
      await remote.reload();
      recordSuccess();
    } catch (error) {
      recordFailure(error);
    }
  };

  function scheduleRetry(): void {
    if (closed || timer) return;
    const wait = delayMs;
    delayMs = Math.min(delayMs * 2, retry.maxMs);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed && !healthy) inFlight ??= attempt().finally(() => (inFlight = undefined));
    }, wait);
    timer.unref();
  }

  const first = (inFlight = attempt().finally(() => (inFlight = undefined)));

  const getKey: JWTVerifyGetKey = async (header, token) => {
    // A request during the first discovery waits for it (bounded by the network timeout).
    if (!remote && inFlight) await inFlight;
    if (!remote) throw new TokenServiceUnavailableError({ cause: new Error(lastError ?? 'no key set yet') });
    try {
      return await remote(header, token);
    } catch (error) {
      throw classifyKeyError(error, recordFailure);
    }
  };

  return {
    getKey,
    readiness: () => ({
      issuer,
      ready: remote !== undefined && (healthy || remote.fresh),
      ...(lastError ? { lastError } : {}),
    }),
    warmUp: async () => {
      await first;
      return remote !== undefined && healthy;
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Tells "this token names a key we do not have" (401) from "we cannot get keys" (503).
 * @see DESIGN.md "Unknown key": 503 only when the key set cannot be fetched at all
 */
export function classifyKeyError(error: unknown, onUnavailable: (error: unknown) => void = () => {}): AuthError | unknown {
  if (error instanceof AuthError) return error;
  // jose's remote set refetched (or is cooling down) and still has no such kid.
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('unknown_key', { cause: error });
  // Several keys fit a token without kid: the verifier tries each (key-candidates.ts).
  if (error instanceof errors.JWKSMultipleMatchingKeys) return error;
  // An alg the key set cannot serve (HMAC, unknown): the token's fault.
  if (error instanceof errors.JOSENotSupported) return new InvalidTokenError('algorithm', { cause: error });
  // Network failure, timeout, non-200, unparseable or invalid JWKS: the issuer's side.
  onUnavailable(error);
  return new TokenServiceUnavailableError({ cause: error });
}
