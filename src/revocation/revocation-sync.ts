/**
 * Is this instance's copy of the revocation list current? Keeps it so: pub/sub for each new
 * revocation, a full reload on every (re)connection, a heartbeat to notice a silent Redis, and
 * a re-seed of Redis from the local copy when Redis comes back empty (from a complete scan only).
 * @see README "Running several instances" (what happens when Redis is down)
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { LocalRevocations } from './local-revocations.js';
import { decodeMessage, storeRecord, type RevocationKeys, type RevocationRedis } from './revocation-records.js';
import { scanRevocations } from './revocation-scan.js';

/** `synced`: answers are current. `stale`: Redis lost, within the stale window. `down`: beyond it. */
export type SyncHealth = 'synced' | 'stale' | 'down';

/** Options of {@link createRevocationSync}. */
export interface RevocationSyncOptions {
  readonly command: RevocationRedis;
  readonly subscriber: Redis;
  readonly local: LocalRevocations;
  readonly keys: RevocationKeys;
  readonly logger: Logger;
  /** How long the local copy may answer alone after Redis is lost, ms (0: never). */
  readonly staleMs: number;
  /** Entries read from Redis in one reload at most (beyond: the local copy is incomplete). */
  readonly maxReload: number;
  readonly now?: () => number;
  /** Heartbeat and retry period, ms. @default 500 */
  readonly tickMs?: number;
}

/** The running sync. */
export interface RevocationSync {
  /** Loads the list before the first request; throws when Redis cannot be read. */
  start(): Promise<void>;
  health(): SyncHealth;
  /** For `/readyz` and logs. */
  status(): { readonly state: SyncHealth; readonly complete: boolean; readonly entries: number; readonly lostForMs: number | undefined };
  close(): void;
}

const PUSH_BATCH = 500;
/** While the local copy is incomplete, reload this often to become complete again. */
const INCOMPLETE_RELOAD_MS = 30_000;
/** Periodic reloads failing in a row, while synced, before Redis counts as lost. */
const MAX_RELOAD_FAILURES = 2;

/**
 * Creates the sync of a local copy with Redis. Until {@link RevocationSync.start} resolves, and
 * from the moment a connection is lost until a full reload after it returns, health is not
 * `synced`: no revocation made meanwhile can be missed, because the reload reads Redis itself
 * rather than trusting the messages that may have been lost.
 */
export function createRevocationSync(options: RevocationSyncOptions): RevocationSync {
  const { command, subscriber, local, keys, logger } = options;
  const now = options.now ?? Date.now;
  let synced = false;
  let lostAtMs: number | undefined;
  let generation = 0;
  let reloading: Promise<void> | undefined;
  let lastReloadMs = 0;
  let heartbeat = false;
  let reloadFailures = 0;
  let closed = false;

  const lost = (reason: string): void => {
    generation++;
    if (!synced || closed) return;
    synced = false;
    reloadFailures = 0;
    lostAtMs = now();
    // Loud on purpose: from here on, token requests get 503 (or stale answers, for staleMs).
    logger.error(
      { reason, staleSeconds: options.staleMs / 1000 },
      options.staleMs > 0
        ? 'redis lost: revocation answers come from the local copy only, for at most REDIS_STALE_SECONDS, then 503'
        : 'redis lost: requests that carry a token get 503 until redis returns',
    );
  };

  const reload = async (): Promise<void> => {
    const mine = ++generation;
    const marker = local.beginReload();
    // Subscribe first, then read: a revocation made between the two arrives by message.
    await subscriber.subscribe(keys.channel);
    // Throws on any failed read: the reload is retried and the state stays not synced.
    const scan = await scanRevocations(command, keys, options.maxReload);
    const inRedis = scan.records;
    // Re-seed: what this copy holds and Redis lacks (Redis restarted empty, or a revocation
    // made here while it was away) goes back, and is announced to every instance. Only from a
    // complete scan: a truncated one lacks records Redis does hold, and writing those back on
    // every periodic reload would flood Redis and every instance's pub/sub.
    const missing = scan.truncated
      ? []
      : [...local.records()].filter((r) => {
          const there = inRedis.get(`${r.kind}|${r.id}`);
          return !there || there.untilMs < r.untilMs || (there.nbfMs ?? 0) < (r.nbfMs ?? 0);
        });
    for (let i = 0; i < missing.length; i += PUSH_BATCH) {
      await Promise.all(missing.slice(i, i + PUSH_BATCH).map((r) => storeRecord(command, keys, r, now())));
    }
    for (const record of inRedis.values()) local.apply(record);
    if (mine !== generation) throw new Error('connection lost during reload');
    const complete = scan.truncated ? local.markIncomplete() : local.markComplete(marker);
    lastReloadMs = now();
    if (!synced && lostAtMs !== undefined) logger.warn({ entries: local.size, reseeded: missing.length, complete }, 'redis recovered: revocation list reloaded');
    synced = true;
    lostAtMs = undefined;
    reloadFailures = 0;
  };

  const tryReload = (): Promise<void> => {
    reloading ??= reload().finally(() => (reloading = undefined));
    return reloading;
  };

  const tick = (): void => {
    const ready = command.status === 'ready' && subscriber.status === 'ready';
    const due = !synced || (!local.complete && now() - lastReloadMs > INCOMPLETE_RELOAD_MS);
    if (due && ready && !reloading) {
      tryReload().catch((error: unknown) => {
        logger.debug({ err: error }, 'revocation reload failed; retrying');
        // A Redis that keeps refusing reads while still answering PING cannot be trusted either.
        if (synced && ++reloadFailures >= MAX_RELOAD_FAILURES) lost('revocation reload failing');
      });
    }
    // Independent of reloads: a reload that hangs must not hide a silent Redis.
    if (!synced || heartbeat) return;
    heartbeat = true;
    // A Redis that stops answering without closing the socket (paused, partitioned) is lost too.
    subscriber
      .ping()
      .catch(() => lost('heartbeat unanswered'))
      .finally(() => (heartbeat = false));
  };

  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.channel) return;
    const record = decodeMessage(message);
    if (record) local.apply(record);
  });
  for (const connection of [command, subscriber]) {
    connection.on('close', () => lost('connection closed'));
    connection.on('ready', () => tick());
  }
  const timer = setInterval(tick, options.tickMs ?? 500);
  timer.unref();

  return {
    start: async () => {
      await tryReload();
    },
    health() {
      if (synced) return 'synced';
      if (lostAtMs !== undefined && options.staleMs > 0 && now() - lostAtMs <= options.staleMs) return 'stale';
      return 'down';
    },
    status() {
      return { state: this.health(), complete: local.complete, entries: local.size, lostForMs: lostAtMs === undefined ? undefined : now() - lostAtMs };
    },
    close() {
      closed = true;
      clearInterval(timer);
      generation++;
    },
  };
}
