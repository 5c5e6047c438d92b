/**
 * Revocations kept in this process's memory: revoked token ids and subjects, each entry kept
 * only as long as the tokens it covers could still be accepted.
 * @see RFC 7009 (token revocation at the authorization server), RFC 9068 §2.2 (`jti`)
 */
import { RevocationListeners } from './revocation-listeners.js';
import type { RevocationStore } from './store.js';

/**
 * A revocation could not be recorded because the store is full of revocations that are all
 * still in force. Refusing the new one is the fail-closed answer: dropping an older one would
 * silently un-revoke a token that may still be presented.
 */
export class RevocationCapacityError extends Error {
  readonly code = 'ERR_REVOCATION_CAPACITY';
  constructor(kind: 'token' | 'subject', max: number) {
    super(`revocation store is full (${max} ${kind} revocations in force); the revocation was not recorded`);
    this.name = 'RevocationCapacityError';
  }
}

/** Options of {@link createMemoryRevocationStore}. */
export interface MemoryRevocationOptions {
  /** Most revoked token ids held; beyond it, once expired entries are purged, a revocation is refused. @default 100000 */
  readonly maxTokens?: number;
  /** Most revoked subjects held (refused beyond, like tokens). @default 10000 */
  readonly maxSubjects?: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

interface SubjectEntry {
  readonly notBeforeMs: number;
  readonly untilMs: number;
}

/**
 * Creates a bounded in-memory {@link RevocationStore} (one process; use a shared store for a fleet).
 *
 * A subject revocation refuses tokens whose `iat` is before `notBefore`, and tokens with no
 * `iat` at all (they cannot show they are newer).
 *
 * Bounded, and fail closed: an entry is only ever dropped once the tokens it covers have
 * expired. When full of entries still in force, a new revocation throws
 * {@link RevocationCapacityError} rather than evict one (an LRU would un-revoke tokens).
 *
 * @example
 * ```ts
 * const revocation = createMemoryRevocationStore();
 * revocation.revokeToken(principal.tokenId!, principal.expiresAt);
 * const verifier = createTokenVerifier(policy, { revocation });
 * ```
 * @see RFC 7009 §2 (after revocation the token must not be accepted), RFC 9068 §2.2 (`jti`)
 */
export function createMemoryRevocationStore(options: MemoryRevocationOptions = {}): RevocationStore {
  const now = options.now ?? Date.now;
  const tokens = new ExpiringMap<number>(Math.max(1, options.maxTokens ?? 100_000), (until) => until, 'token');
  const subjects = new ExpiringMap<SubjectEntry>(Math.max(1, options.maxSubjects ?? 10_000), (e) => e.untilMs, 'subject');
  const listeners = new RevocationListeners();

  return {
    revokeToken(jti, expiresAt) {
      const untilMs = expiresAt.getTime();
      // A token already past its exp is refused anyway: nothing to remember.
      if (!(untilMs > now())) return;
      tokens.set(jti, Math.max(untilMs, tokens.get(jti, now()) ?? 0), now());
      listeners.notify();
    },
    revokeSubject(sub, notBefore, until) {
      if (!(until.getTime() > now())) return;
      const previous = subjects.get(sub, now());
      // Later revocations widen the window; they never narrow an earlier one.
      subjects.set(
        sub,
        {
          notBeforeMs: Math.max(notBefore.getTime(), previous?.notBeforeMs ?? 0),
          untilMs: Math.max(until.getTime(), previous?.untilMs ?? 0),
        },
        now(),
      );
      listeners.notify();
    },
    onRevocation: (listener) => listeners.add(listener),
    isRevoked(principal) {
      const t = now();
      if (principal.tokenId !== undefined && tokens.get(principal.tokenId, t) !== undefined) return true;
      const subject = subjects.get(principal.subject, t);
      if (subject) {
        if (principal.issuedAt === undefined || principal.issuedAt.getTime() < subject.notBeforeMs) return true;
      }
      return false;
    },
  };
}

/**
 * A Map whose entries lapse at their own expiry and are never evicted before it. Purging is
 * O(n) but runs only when full and only when some entry can actually have expired (the
 * earliest expiry is tracked), so a flood of refused revocations costs O(1) each.
 */
class ExpiringMap<V> {
  // A Map, not an object: `__proto__` as a jti or subject is just a key.
  private readonly entries = new Map<string, V>();
  private earliestMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly max: number,
    private readonly untilOf: (value: V) => number,
    private readonly kind: 'token' | 'subject',
  ) {}

  get(key: string, nowMs: number): V | undefined {
    const value = this.entries.get(key);
    return value !== undefined && nowMs < this.untilOf(value) ? value : undefined;
  }

  set(key: string, value: V, nowMs: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      if (nowMs >= this.earliestMs) this.purge(nowMs);
      if (this.entries.size >= this.max) throw new RevocationCapacityError(this.kind, this.max);
    }
    this.entries.set(key, value);
    this.earliestMs = Math.min(this.earliestMs, this.untilOf(value));
  }

  private purge(nowMs: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, value] of this.entries) {
      const until = this.untilOf(value);
      if (nowMs >= until) this.entries.delete(key);
      else earliest = Math.min(earliest, until);
    }
    this.earliestMs = earliest;
  }
}
