/**
 * Is this instance's copy of the revocation list current? Keeps it so: pub/sub for each new
 * revocation, a full reload on every (re)connection, a heartbeat to notice a silent Redis, and
 * a re-seed of Redis from the local copy when Redis comes back empty.
 * @see README "Running several instances" (what happens when Redis is down)
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { LocalRevocations } from './local-revocations.js';
import { decodeMessage, decodeRecord, storeRecord, type RevocationKeys, type RevocationRecord, type RevocationRedis } from './revocation-records.js';

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

const SCAN_COUNT = 1_000;
const PUSH_BATCH = 500;
/** While the local copy is incomplete, reload this often to become complete again. */
const INCOMPLETE_RELOAD_MS = 30_000;

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
  let closed = false;

  const lost = (reason: string): void => {
    generation++;
    if (!synced || closed) return;
    synced = false;
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
    const inRedis = new Map<string, RevocationRecord>();
    let cursor = '0';
    let truncated = false;
    // Bounded: at most maxReload entries, then the copy is declared incomplete.
    for (let round = 0; round < Math.ceil(options.maxReload / SCAN_COUNT) * 10 + 10; round++) {
      const [next, found] = await command.scan(cursor, 'MATCH', keys.pattern, 'COUNT', SCAN_COUNT);
      const pipeline = command.pipeline();
      for (const key of found) pipeline.hmget(key, 'nbf', 'until');
      const values = found.length > 0 ? ((await pipeline.exec()) ?? []) : [];
      found.forEach((key, i) => {
        const [, kind, id] = key.slice(keys.prefix.length).split(':');
        const [error, fields] = values[i] ?? [];
        if (error || !Array.isArray(fields)) return;
        const record = decodeRecord(kind, id, fields[0] as string | null, fields[1] as string | null);
        if (record) inRedis.set(`${record.kind}|${record.id}`, record);
      });
      cursor = next;
      if (inRedis.size > options.maxReload) truncated = true;
      if (cursor === '0' || truncated) break;
    }
    if (cursor !== '0') truncated = true;
    // Re-seed: what this copy holds and Redis lacks (Redis restarted empty, or a revocation
    // made here while it was away) goes back, and is announced to every instance.
    const missing = [...local.records()].filter((r) => {
      const there = inRedis.get(`${r.kind}|${r.id}`);
      return !there || there.untilMs < r.untilMs || (there.nbfMs ?? 0) < (r.nbfMs ?? 0);
    });
    for (let i = 0; i < missing.length; i += PUSH_BATCH) {
      await Promise.all(missing.slice(i, i + PUSH_BATCH).map((r) => storeRecord(command, keys, r, now())));
    }
    for (const record of inRedis.values()) local.apply(record);
    if (mine !== generation) throw new Error('connection lost during reload');
    const complete = !truncated && local.markComplete(marker);
    lastReloadMs = now();
    if (!synced && lostAtMs !== undefined) logger.warn({ entries: local.size, reseeded: missing.length, complete }, 'redis recovered: revocation list reloaded');
    synced = true;
    lostAtMs = undefined;
  };

  const tryReload = (): Promise<void> => {
    reloading ??= reload().finally(() => (reloading = undefined));
    return reloading;
  };

  const tick = (): void => {
    if (reloading) return;
    const ready = command.status === 'ready' && subscriber.status === 'ready';
    if (!synced || (!local.complete && now() - lastReloadMs > INCOMPLETE_RELOAD_MS)) {
      if (ready) tryReload().catch((error: unknown) => logger.debug({ err: error }, 'revocation reload failed; retrying'));
      return;
    }
    if (heartbeat) return;
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
