/**
 * What a fleet member shares with the others: opens the Redis connections and builds the shared
 * revocation store and introspection cache on them, or refuses to start without Redis.
 * @see README "Running several instances"
 */
import type { Logger } from '../logger.js';
import type { RevocationStore } from '../revocation/store.js';
import type { SharedIntrospectionCache } from '../token/introspect.js';
import { createRedisDpopReplayStore, type DpopReplayStore } from '../token/dpop-replay.js';
import { LocalRevocations } from '../revocation/local-revocations.js';
import { closeRedisConnection, describeRedisUrl, openRedisConnection, RedisUnavailableError } from './redis-connection.js';
import { createRedisIntrospectionCache } from './redis-introspection-cache.js';
import { createRedisRevocationStore } from '../revocation/redis-store.js';
import { revocationKeys, storeRecord, withMergeScript } from '../revocation/revocation-records.js';
import { createRevocationSync, type SyncHealth } from '../revocation/revocation-sync.js';
import { createUnsharedRevocations } from '../revocation/unshared-revocations.js';

/** Options of {@link openFleet}. */
export interface FleetOptions {
  readonly logger: Logger;
  /** `REDIS_STALE_SECONDS`: how long the local copy may answer alone once Redis is lost. @default 0 */
  readonly staleSeconds?: number;
  /** Key prefix, so several deployments can share one Redis. @default 'gatepass:' */
  readonly prefix?: string;
  /** Local copy bounds. @default 100000 tokens, 10000 subjects */
  readonly maxLocalTokens?: number;
  readonly maxLocalSubjects?: number;
  /** Most revocations kept for re-sending while Redis refuses them; beyond, new ones are refused. @default 10000 */
  readonly maxUnshared?: number;
}

/** How `/readyz` shows Redis. */
export interface RedisReadiness {
  readonly ready: boolean;
  readonly target: string;
  readonly state: SyncHealth;
  /** True while the local copy holds the whole list (no Redis round trip per request). */
  readonly complete: boolean;
  readonly entries: number;
  readonly lostForSeconds?: number;
}

/** A fleet member's shared state. */
export interface Fleet {
  readonly revocation: RevocationStore;
  readonly introspectionCache: SharedIntrospectionCache;
  /** DPoP proofs seen by any member (RFC 9449 §11.1: a proof replayed elsewhere is refused). */
  readonly dpopReplay: DpopReplayStore;
  readiness(): RedisReadiness;
  /** Stops the sync and closes both connections. */
  close(): Promise<void>;
}

/**
 * Connects to Redis (a command connection and a subscriber), loads the revocation list, and
 * returns the shared stores.
 *
 * @example
 * ```ts
 * const fleet = await openFleet(config.redisUrl, { logger, staleSeconds: config.redisStaleSeconds });
 * const verifier = createTokenVerifier(policy, { revocation: fleet.revocation, introspectionCache: fleet.introspectionCache });
 * ```
 * @throws {RedisUnavailableError} Redis cannot be reached or read at startup (names REDIS_URL)
 */
export async function openFleet(url: URL, options: FleetOptions): Promise<Fleet> {
  const { logger } = options;
  const target = describeRedisUrl(url);
  const keys = revocationKeys(options.prefix);
  const command = withMergeScript(await openRedisConnection(url, { name: `gatepass:${process.pid}:cmd` }));
  const subscriber = await openRedisConnection(url, { name: `gatepass:${process.pid}:sub` }).catch(async (error: unknown) => {
    await closeRedisConnection(command);
    throw error;
  });
  const local = new LocalRevocations({ maxTokens: options.maxLocalTokens, maxSubjects: options.maxLocalSubjects });
  const staleMs = (options.staleSeconds ?? 0) * 1000;
  const sync = createRevocationSync({ command, subscriber, local, keys, logger, staleMs, maxReload: (options.maxLocalTokens ?? 100_000) + (options.maxLocalSubjects ?? 10_000) });
  const unshared = createUnsharedRevocations({ send: (record) => storeRecord(command, keys, record, Date.now()), logger, max: options.maxUnshared });
  const close = async (): Promise<void> => {
    unshared.close();
    sync.close();
    await Promise.all([closeRedisConnection(command), closeRedisConnection(subscriber)]);
  };
  try {
    await sync.start();
  } catch (cause) {
    await close();
    throw new RedisUnavailableError(target, { cause });
  }
  await warnIfEvicting(command, logger);
  logger.info({ redis: target, revocations: local.size, complete: local.complete, staleSeconds: staleMs / 1000 }, 'redis connected: revocation list loaded');

  return {
    revocation: createRedisRevocationStore({ command, keys, local, sync, unshared, logger }),
    introspectionCache: createRedisIntrospectionCache(command, { prefix: keys.prefix }),
    dpopReplay: createRedisDpopReplayStore(command, { prefix: keys.prefix }),
    readiness() {
      const status = sync.status();
      return {
        ready: status.state === 'synced',
        target,
        state: status.state,
        complete: status.complete,
        entries: status.entries,
        ...(status.lostForMs === undefined ? {} : { lostForSeconds: Math.round(status.lostForMs / 100) / 10 }),
      };
    },
    close,
  };
}

/**
 * A Redis that evicts keys under memory pressure would forget revocations (every key of ours has
 * a TTL, so even `volatile-*` policies pick them). Only `noeviction` fails closed: the write is
 * refused and the revocation mutation errors. Managed Redis may forbid CONFIG: then say nothing.
 */
async function warnIfEvicting(command: { config(op: 'GET', key: string): Promise<unknown> }, logger: Logger): Promise<void> {
  try {
    const reply = (await command.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      logger.warn({ maxmemoryPolicy: policy }, 'redis maxmemory-policy evicts keys: revocations could be forgotten under memory pressure; use noeviction');
    }
  } catch {
    // CONFIG not allowed: nothing to check.
  }
}
