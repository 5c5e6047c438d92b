/**
 * How gatepass connects to Redis: one place that decides timeouts, reconnection and what a
 * connection failure at startup looks like to an operator.
 * @see DESIGN.md "Configuration" (`REDIS_URL`), README "Running several instances"
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Options of {@link openRedisConnection}. */
export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, so an operator can tell gatepass's connections apart. */
  readonly name: string;
  /** Longest wait for the first connection, ms. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Longest wait for one command's answer, ms; beyond it the command fails. @default 1000 */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts, ms. @default 1000 */
  readonly maxReconnectDelayMs?: number;
  /** Renew SUBSCRIBEs after a reconnection (subscription events); the revocation sync renews its own. @default false */
  readonly autoResubscribe?: boolean;
}

/**
 * Redis could not be reached when the server started. gatepass refuses to start rather than run
 * a fleet member that cannot see the shared revocation list (it would answer 503 to every token).
 */
export class RedisUnavailableError extends Error {
  readonly code = 'ERR_REDIS_UNAVAILABLE';
  constructor(target: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? ` (${options.cause.message})` : '';
    super(
      `REDIS_URL: cannot reach Redis at ${target}${detail}. ` +
        'Fix: start Redis or correct REDIS_URL (redis://host:port/db), or unset REDIS_URL for the in-memory store',
      options,
    );
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Where a Redis URL points, without its credentials: the only form of it that may be logged.
 */
export function describeRedisUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
}

/**
 * Opens a connection and waits until it is ready, or throws {@link RedisUnavailableError}.
 * Once open, the connection reconnects by itself forever (at most `maxReconnectDelayMs` apart),
 * and commands fail at once while it is down instead of queueing: every caller decides what
 * "Redis is down" means for it (fail closed for revocation, a cache miss for introspection).
 *
 * @example
 * ```ts
 * const redis = await openRedisConnection(config.redisUrl, { name: 'gatepass:cmd' });
 * ```
 */
export async function openRedisConnection(url: URL, options: RedisConnectionOptions): Promise<Redis> {
  const maxDelay = options.maxReconnectDelayMs ?? 1_000;
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    connectionName: options.name,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // Fail fast while disconnected: a queued revocation check is a request hanging on nothing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Subscriptions are renewed by the revocation sync itself, in a known order (subscribe, then reload).
    autoResubscribe: options.autoResubscribe ?? false,
    retryStrategy: (attempt) => Math.min(50 * attempt, maxDelay),
  };
  const redis = new Redis(url.toString(), redisOptions);
  // Without a listener, ioredis prints every reconnection error; the owners log state changes instead.
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (cause) {
    redis.disconnect();
    throw new RedisUnavailableError(describeRedisUrl(url), { cause });
  }
  return redis;
}

/**
 * Closes a connection politely (QUIT), or drops it when Redis does not answer in time.
 */
export async function closeRedisConnection(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([redis.quit(), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } catch {
    // Already closing: disconnect below makes sure.
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
