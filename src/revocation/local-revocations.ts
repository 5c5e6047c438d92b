/**
 * What this instance knows of the fleet's revocations without asking Redis: a bounded copy,
 * kept current by pub/sub and reloads. It may drop entries when full (it is a cache of Redis),
 * and then says so: a miss in an incomplete copy must be asked of Redis, never taken as "not revoked".
 * @see README "Running several instances"
 */
import { LRUCache } from 'lru-cache';
import { RevocationListeners } from './revocation-listeners.js';
import { mergeRecords, type RevocationKind, type RevocationRecord } from './revocation-records.js';

/** Options of {@link LocalRevocations}. */
export interface LocalRevocationsOptions {
  /** Most token revocations held locally. @default 100000 */
  readonly maxTokens?: number;
  /** Most subject revocations held locally. @default 10000 */
  readonly maxSubjects?: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/**
 * The local copy of the revocation list. `complete` is true while it holds every revocation
 * Redis holds (nothing was dropped since the last full reload).
 */
export class LocalRevocations {
  private readonly now: () => number;
  private readonly caches: Record<RevocationKind, LRUCache<string, RevocationRecord>>;
  /** Entries dropped for room since this copy was created; a reload compares before and after. */
  private dropped = 0;
  private completeSince = -1;
  private readonly listeners = new RevocationListeners();

  constructor(options: LocalRevocationsOptions = {}) {
    this.now = options.now ?? Date.now;
    const onDispose = (value: RevocationRecord, _key: string, reason: LRUCache.DisposeReason): void => {
      // Only a revocation still in force is lost by dropping it; a lapsed one covers no token
      // that could still pass, so evicting it leaves the copy complete.
      if (reason === 'evict' && value.untilMs > this.now()) this.dropped++;
    };
    this.caches = {
      t: new LRUCache({ max: Math.max(1, options.maxTokens ?? 100_000), dispose: onDispose }),
      s: new LRUCache({ max: Math.max(1, options.maxSubjects ?? 10_000), dispose: onDispose }),
    };
  }

  /** Merges a record (widen, never narrow); an entry already lapsed is ignored. */
  apply(record: RevocationRecord): void {
    const ttl = record.untilMs - this.now();
    if (!(ttl > 0)) return;
    const cache = this.caches[record.kind];
    const held = cache.get(record.id);
    const merged = mergeRecords(held, record);
    // Make room from lapsed entries first, so the LRU evicts one in force only when it must.
    if (cache.size >= cache.max && !cache.has(record.id)) cache.purgeStale();
    cache.set(record.id, merged, { ttl: Math.ceil(merged.untilMs - this.now()) });
    // Only news is told: a reload re-applying what is held, or a record a listener's own
    // isRevoked fetched from Redis, must not start another round of checks.
    if (held === undefined || held.untilMs !== merged.untilMs || held.nbfMs !== merged.nbfMs) this.listeners.notify();
  }

  /** Calls `listener` whenever a record that widens this copy is applied; returns its remover. */
  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** The record in force for `id`, if held. */
  lookup(kind: RevocationKind, id: string): RevocationRecord | undefined {
    const record = this.caches[kind].get(id);
    return record && this.now() < record.untilMs ? record : undefined;
  }

  /** Every record in force (to re-seed a Redis that lost its data). */
  *records(): Generator<RevocationRecord> {
    const t = this.now();
    for (const kind of ['t', 's'] as const) {
      for (const record of this.caches[kind].values()) if (t < record.untilMs) yield record;
    }
  }

  /** A marker to pass to {@link markComplete} after a full reload. */
  beginReload(): number {
    return this.dropped;
  }

  /** Declares the copy complete if nothing was dropped since `marker`. */
  markComplete(marker: number): boolean {
    this.completeSince = this.dropped === marker ? marker : -1;
    return this.complete;
  }

  /** Declares the copy incomplete (a reload could not read all of Redis); returns false. */
  markIncomplete(): false {
    this.completeSince = -1;
    return false;
  }

  /** True while this copy holds every revocation in Redis: a miss here means "not revoked". */
  get complete(): boolean {
    return this.completeSince >= 0 && this.completeSince === this.dropped;
  }

  get size(): number {
    return this.caches.t.size + this.caches.s.size;
  }
}
