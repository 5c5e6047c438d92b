/**
 * Has this principal's token been revoked? A store of revoked token ids and subjects, each
 * entry kept only as long as the tokens it covers could still be accepted.
 * @see RFC 7009 (token revocation at the authorization server), RFC 9068 §2.2 (`jti`)
 */
import { LRUCache } from 'lru-cache';
import type { Principal } from './principal.js';

/** Where revocations are kept; in memory here, shared (Redis) for a fleet. */
export interface RevocationStore {
  /** Revokes one token by its `jti`, remembered until `expiresAt` (the token's `exp`). */
  revokeToken(jti: string, expiresAt: Date): Promise<void> | void;
  /**
   * Revokes every token of `sub` issued before `notBefore`, remembered until `until` (at least
   * `notBefore` + the longest accepted token lifetime, after which no such token can pass).
   */
  revokeSubject(sub: string, notBefore: Date, until: Date): Promise<void> | void;
  /** True when the principal's token is revoked. */
  isRevoked(principal: Principal): Promise<boolean> | boolean;
}

/** Options of {@link createMemoryRevocationStore}. */
export interface MemoryRevocationOptions {
  /** Most revoked token ids held; the least recently used is dropped beyond it. @default 100000 */
  readonly maxTokens?: number;
  /** Most revoked subjects held. @default 10000 */
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
 * @example
 * ```ts
 * const revocation = createMemoryRevocationStore();
 * revocation.revokeToken(principal.tokenId!, principal.expiresAt);
 * const verifier = createTokenVerifier(policy, { revocation });
 * ```
 */
export function createMemoryRevocationStore(options: MemoryRevocationOptions = {}): RevocationStore {
  const now = options.now ?? Date.now;
  const tokens = new LRUCache<string, number>({ max: Math.max(1, options.maxTokens ?? 100_000) });
  const subjects = new LRUCache<string, SubjectEntry>({ max: Math.max(1, options.maxSubjects ?? 10_000) });

  return {
    revokeToken(jti, expiresAt) {
      const untilMs = expiresAt.getTime();
      const ttl = untilMs - now();
      // A token already past its exp is refused anyway: nothing to remember.
      if (!(ttl > 0)) return;
      tokens.set(jti, Math.max(untilMs, tokens.get(jti) ?? 0), { ttl: Math.ceil(ttl) });
    },
    revokeSubject(sub, notBefore, until) {
      const ttl = until.getTime() - now();
      if (!(ttl > 0)) return;
      const previous = subjects.get(sub);
      // Later revocations widen the window; they never narrow an earlier one.
      const entry = {
        notBeforeMs: Math.max(notBefore.getTime(), previous?.notBeforeMs ?? 0),
        untilMs: Math.max(until.getTime(), previous?.untilMs ?? 0),
      };
      subjects.set(sub, entry, { ttl: Math.ceil(entry.untilMs - now()) });
    },
    isRevoked(principal) {
      const t = now();
      if (principal.tokenId !== undefined) {
        const untilMs = tokens.get(principal.tokenId);
        if (untilMs !== undefined && t < untilMs) return true;
      }
      const subject = subjects.get(principal.subject);
      if (subject && t < subject.untilMs) {
        if (principal.issuedAt === undefined || principal.issuedAt.getTime() < subject.notBeforeMs) return true;
      }
      return false;
    },
  };
}
