/**
 * Which revocations has Redis not accepted yet? Keeps each revocation that Redis refused (down,
 * out of memory, a timeout, a script error) and re-sends it every tick until Redis takes it, so
 * the rest of the fleet learns it without anyone asking again. Bounded: when full, it refuses
 * to keep more, and the caller refuses the revocation (fail closed, like the memory store).
 * @see README "Running several instances"
 */
import type { Logger } from '../logger.js';
import { mergeRecords, type RevocationRecord } from './revocation-records.js';

/** Options of {@link createUnsharedRevocations}. */
export interface UnsharedRevocationsOptions {
  /** Writes one record to Redis (and announces it); rejects when Redis refuses it. */
  readonly send: (record: RevocationRecord) => Promise<unknown>;
  readonly logger: Logger;
  /** Most records kept for re-sending. @default 10000 */
  readonly max?: number;
  /** Re-send period, ms. @default 500 */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/** Revocations waiting for Redis. */
export interface UnsharedRevocations {
  /** Keeps `record` for re-sending; false when full of records still in force (not kept). */
  add(record: RevocationRecord): boolean;
  readonly size: number;
  readonly max: number;
  /** Re-sends every record held now; resolves when each was accepted or refused again. */
  flush(): Promise<void>;
  close(): void;
}

/** Creates the set and starts re-sending on a timer (unref'd: it never keeps a process alive). */
export function createUnsharedRevocations(options: UnsharedRevocationsOptions): UnsharedRevocations {
  const now = options.now ?? Date.now;
  const max = Math.max(1, options.max ?? 10_000);
  const pending = new Map<string, RevocationRecord>();
  let flushing: Promise<void> | undefined;

  const dropLapsed = (): void => {
    const t = now();
    for (const [key, record] of pending) if (!(record.untilMs > t)) pending.delete(key);
  };

  const sendAll = async (): Promise<void> => {
    dropLapsed();
    let failed = 0;
    for (const [key, record] of [...pending]) {
      try {
        await options.send(record);
        // Widened meanwhile by a newer revocation: that one is still owed to Redis.
        if (pending.get(key) === record) pending.delete(key);
      } catch (error) {
        failed++;
        if (failed === 1) options.logger.debug({ err: error, waiting: pending.size }, 'revocation still not accepted by redis; retrying');
      }
    }
    if (failed === 0 && pending.size === 0) options.logger.info('every revocation made while redis refused writes is now shared');
  };

  const flush = (): Promise<void> => {
    flushing ??= sendAll().finally(() => (flushing = undefined));
    return flushing;
  };

  const timer = setInterval(() => {
    if (pending.size > 0) void flush();
  }, options.tickMs ?? 500);
  timer.unref();

  return {
    add(record) {
      const key = `${record.kind}|${record.id}`;
      if (!pending.has(key) && pending.size >= max) dropLapsed();
      if (!pending.has(key) && pending.size >= max) return false;
      pending.set(key, mergeRecords(pending.get(key), record));
      return true;
    },
    get size() {
      return pending.size;
    },
    max,
    flush,
    close() {
      clearInterval(timer);
    },
  };
}
