/**
 * Has this DPoP proof been used before? A proof's `jti` is remembered for as long as its `iat`
 * is acceptable; a second use within that window is refused. In one process a bounded memory
 * store; in a fleet, Redis (`SET NX` with a TTL), so a proof replayed on another instance is
 * refused too.
 * @see RFC 9449 §4.3 check 11 ("not been used before"), §11.1 (replay)
 */
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { TokenServiceUnavailableError } from '../errors.js';

/** Remembers proofs; `claim` is atomic: exactly one caller wins a given key. */
export interface DpopReplayStore {
  /**
   * Records a proof; false when it was already recorded within `ttlSeconds`.
   * @throws {TokenServiceUnavailableError} the store cannot answer (fail closed: 503)
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

/**
 * The store key of a proof: its `jti` scoped to the proof key (RFC 9449 §11.1), hashed so that
 * a client-chosen string of any shape becomes a fixed-size key.
 */
export function dpopReplayKey(jkt: string, jti: string): string {
  return hash('sha256', `${jkt}\u0000${jti}`, 'base64url');
}

/** Options of {@link createMemoryDpopReplayStore}. */
export interface MemoryDpopReplayOptions {
  /** Most proofs remembered; when all are still live, new proofs are refused (503). @default 100000 */
  readonly maxEntries?: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * A bounded in-process replay store. A full store refuses rather than forgets: evicting a live
 * entry would let its proof be replayed (fail closed).
 *
 * @example
 * ```ts
 * const replay = createMemoryDpopReplayStore();
 * if (!(await replay.claim(dpopReplayKey(jkt, jti), 330))) throw new InvalidDpopProofError('replayed');
 * ```
 */
export function createMemoryDpopReplayStore(options: MemoryDpopReplayOptions = {}): DpopReplayStore {
  const now = options.now ?? Date.now;
  const max = options.maxEntries ?? 100_000;
  const seen = new LRUCache<string, true>({ max, ttlAutopurge: false, perf: { now } });
  return {
    async claim(key, ttlSeconds) {
      if (seen.has(key)) return false;
      if (seen.size >= max) {
        seen.purgeStale();
        if (seen.size >= max) throw new TokenServiceUnavailableError({ cause: new Error('DPoP replay store is full'), retryAfterSeconds: 1 });
      }
      seen.set(key, true, { ttl: ttlSeconds * 1000 });
      return true;
    },
  };
}

/**
 * The fleet's replay store on its Redis command connection: `SET key 1 NX EX ttl` answers `OK`
 * to the first instance only. Redis down is 503, never "not seen" (fail closed).
 *
 * @example
 * ```ts
 * const replay = createRedisDpopReplayStore(redis, { prefix: 'gatepass:' });
 * ```
 */
export function createRedisDpopReplayStore(redis: Pick<Redis, 'set'>, options: { readonly prefix?: string } = {}): DpopReplayStore {
  const prefix = `${options.prefix ?? 'gatepass:'}dpop:jti:`;
  return {
    async claim(key, ttlSeconds) {
      try {
        return (await redis.set(`${prefix}${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
      } catch (cause) {
        throw new TokenServiceUnavailableError({ cause, retryAfterSeconds: 1 });
      }
    },
  };
}
