/**
 * Has another instance already introspected this opaque token? RFC 7662 results shared through
 * Redis, keyed by the token's SHA-256, never kept past the token's `exp` nor the configured bound.
 * @see RFC 7662 §4 (caching introspection responses), RFC 6750 §5.3 (no tokens at rest)
 */
import type { Redis } from 'ioredis';
import { INVALID_TOKEN_REASONS, type InvalidTokenReason } from '../errors.js';
import type { SharedIntrospectionCache, SharedIntrospectionEntry } from '../token/introspect.js';

/** Options of {@link createRedisIntrospectionCache}. */
export interface RedisIntrospectionCacheOptions {
  /** @default 'gatepass:' */
  readonly prefix?: string;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** Largest entry stored (the introspection client reads at most 64 KiB of response). */
const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * Creates the shared introspection cache on a Redis connection. Its failures reject; the
 * introspector treats them as a miss (it asks the authorization server itself), so a Redis
 * outage costs introspection requests, never a wrong answer.
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier(policy, { introspectionCache: createRedisIntrospectionCache(redis) });
 * ```
 */
export function createRedisIntrospectionCache(redis: Redis, options: RedisIntrospectionCacheOptions = {}): SharedIntrospectionCache {
  const prefix = `${options.prefix ?? 'gatepass:'}introspect:`;
  const now = options.now ?? Date.now;
  return {
    async get(key) {
      const raw = await redis.get(prefix + key);
      return raw === null ? undefined : parseEntry(raw);
    },
    async set(key, entry) {
      const ttl = Math.ceil(entry.untilMs - now());
      if (!(ttl > 0)) return;
      const raw = JSON.stringify(entry);
      if (raw.length > MAX_ENTRY_BYTES) return;
      // PX: Redis forgets the entry by itself when the token it describes could no longer pass.
      await redis.set(prefix + key, raw, 'PX', ttl);
    },
  };
}

/** Reads an entry back; anything not in our shape is a miss. */
function parseEntry(raw: string): SharedIntrospectionEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { untilMs, response, reason } = value as Record<string, unknown>;
  if (typeof untilMs !== 'number') return undefined;
  if (typeof reason === 'string' && Object.hasOwn(INVALID_TOKEN_REASONS, reason)) return { untilMs, reason: reason as InvalidTokenReason };
  if (typeof response === 'object' && response !== null && !Array.isArray(response)) return { untilMs, response: response as Record<string, unknown> };
  return undefined;
}
