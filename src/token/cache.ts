/**
 * How long a verification result is remembered: a bounded LRU keyed by a hash of the token,
 * never past the token's `exp`; refusals only for seconds.
 * @see RFC 6750 §5.3 (do not store bearer tokens in the clear), DESIGN.md "Security rules"
 */
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { InvalidTokenError } from '../errors.js';
import type { Principal } from './principal.js';

/** Options of {@link createVerificationCache}. */
export interface VerificationCacheOptions {
  /** Most principals held. @default 10000 */
  readonly maxEntries?: number;
  /**
   * Most refusals held, apart from the principals: a flood of distinct bad tokens must not push
   * valid principals out. @default 1000
   */
  readonly maxFailures?: number;
  /** Longest time a refusal is remembered, ms; a flood of one bad token costs one verification. @default 5000 */
  readonly failureTtlMs?: number;
  /**
   * Longest time a principal is remembered, ms, whatever its `exp`: a key removed from the
   * issuer's set must stop validating cached tokens when the key set's trust runs out too.
   * @default 600000 (the key set's cache max age)
   */
  readonly maxTtlMs?: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A remembered outcome. */
export type CachedVerification =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly error: InvalidTokenError };

/** The verified-token cache, addressed by {@link tokenCacheKey} (hashed once per request). */
export interface VerificationCache {
  get(key: string): CachedVerification | undefined;
  /** Remembers a principal until its `expiresAt` or `maxTtlMs`, whichever is first (not at all when past it). */
  setPrincipal(key: string, principal: Principal): void;
  /** Remembers a refusal for `failureTtlMs` at most. */
  setFailure(key: string, error: InvalidTokenError): void;
  /** Principals and refusals held. */
  readonly size: number;
  clear(): void;
}

interface Entry {
  readonly value: CachedVerification;
  readonly expiresAtMs: number;
}

/** Default of {@link VerificationCacheOptions.maxEntries}. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
/** Default of {@link VerificationCacheOptions.maxFailures}. */
export const DEFAULT_CACHE_MAX_FAILURES = 1_000;
/** Default of {@link VerificationCacheOptions.failureTtlMs}. */
export const DEFAULT_FAILURE_TTL_MS = 5_000;

/**
 * The cache key of a token: its SHA-256, so the cache never holds a usable credential.
 */
export function tokenCacheKey(token: string): string {
  // The one-shot hash is about twice as fast as createHash(...).update().digest() (bench).
  return hash('sha256', token, 'base64url');
}

/**
 * Creates a verified-token cache. The caller still checks revocation on every hit: the cache
 * replaces signature work, never the revocation check.
 *
 * @example
 * ```ts
 * const cache = createVerificationCache({ maxEntries: 10_000 });
 * const hit = cache.get(tokenCacheKey(token));
 * ```
 */
export function createVerificationCache(options: VerificationCacheOptions = {}): VerificationCache {
  const now = options.now ?? Date.now;
  const failureTtlMs = Math.max(0, options.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS);
  const maxTtlMs = Math.max(0, options.maxTtlMs ?? 600_000);
  const principals = new LRUCache<string, Entry>({ max: Math.max(1, options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES) });
  const failures = new LRUCache<string, Entry>({ max: Math.max(1, options.maxFailures ?? DEFAULT_CACHE_MAX_FAILURES) });

  const put = (lru: LRUCache<string, Entry>, key: string, value: CachedVerification, untilMs: number): void => {
    const expiresAtMs = Math.min(untilMs, now() + maxTtlMs);
    if (!(expiresAtMs > now())) return;
    // Expiry is ours, checked against our clock on read; lru-cache's own ttl would track it a
    // second time, on every get.
    lru.set(key, { value, expiresAtMs });
  };
  const read = (lru: LRUCache<string, Entry>, key: string): CachedVerification | undefined => {
    const entry = lru.get(key);
    if (!entry) return undefined;
    if (now() >= entry.expiresAtMs) {
      lru.delete(key);
      return undefined;
    }
    return entry.value;
  };

  return {
    get: (key) => read(principals, key) ?? read(failures, key),
    setPrincipal(key, principal) {
      put(principals, key, { ok: true, principal }, principal.expiresAt.getTime());
    },
    setFailure(key, error) {
      put(failures, key, { ok: false, error }, now() + failureTtlMs);
    },
    get size() {
      return principals.size + failures.size;
    },
    clear: () => {
      principals.clear();
      failures.clear();
    },
  };
}
