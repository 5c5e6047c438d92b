/**
 * Is this token revoked, anywhere in the fleet? A {@link RevocationStore} whose list lives in
 * Redis, answered from a local copy kept current by pub/sub, and fail closed when Redis is gone.
 * @see RFC 7009 §2 (a revoked token must not be accepted), README "Running several instances"
 */
import { TokenServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RevocationStore, RevocationTarget } from './store.js';
import { RevocationCapacityError } from './memory-store.js';
import type { LocalRevocations } from './local-revocations.js';
import { decodeRecord, revocationId, storeRecord, type RevocationKeys, type RevocationRecord, type RevocationRedis } from './revocation-records.js';
import type { RevocationSync } from './revocation-sync.js';
import type { UnsharedRevocations } from './unshared-revocations.js';

/**
 * A revocation was applied on this instance but could not be written to Redis, so the rest of
 * the fleet does not know it yet. This instance keeps it and re-sends it until Redis accepts it;
 * the caller may retry too (revocations merge, so a duplicate is harmless).
 */
export class RevocationNotSharedError extends Error {
  readonly code = 'ERR_REVOCATION_NOT_SHARED';
  constructor(options?: { cause?: unknown }) {
    super('revocation could not be shared with the fleet (Redis unavailable); retry', options);
    this.name = 'RevocationNotSharedError';
  }
}

/** Collaborators of {@link createRedisRevocationStore}. */
export interface RedisRevocationStoreDeps {
  readonly command: RevocationRedis;
  readonly keys: RevocationKeys;
  readonly local: LocalRevocations;
  readonly sync: RevocationSync;
  /** Where a revocation Redis refused waits to be re-sent. */
  readonly unshared: UnsharedRevocations;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Seconds a client is asked to wait while the revocation list is unavailable. */
const RETRY_AFTER_SECONDS = 2;
/** At most one "answering from a stale copy" line per this many ms (loud, not a flood). */
const STALE_LOG_EVERY_MS = 1_000;

/**
 * Creates the fleet's revocation store.
 *
 * - While synced: answers from the local copy (no Redis round trip); a miss in an incomplete
 *   copy is asked of Redis.
 * - While Redis is lost, within `REDIS_STALE_SECONDS`: answers from the local copy, logged; a
 *   miss in an incomplete copy cannot be answered → 503.
 * - Otherwise: {@link TokenServiceUnavailableError} (503 + `Retry-After`), fail closed, except for
 *   a revocation the local copy holds, which is refused as revoked.
 *
 * @example
 * ```ts
 * const revocation = createRedisRevocationStore({ command, keys, local, sync, logger });
 * const verifier = createTokenVerifier(policy, { revocation });
 * ```
 */
export function createRedisRevocationStore(deps: RedisRevocationStoreDeps): RevocationStore {
  const { command, keys, local, sync, unshared, logger } = deps;
  const now = deps.now ?? Date.now;
  let lastStaleLogMs = 0;

  const unavailable = (cause: unknown): TokenServiceUnavailableError =>
    new TokenServiceUnavailableError({ cause: cause instanceof Error ? cause : new Error(String(cause)), retryAfterSeconds: RETRY_AFTER_SECONDS });

  const record = async (entry: RevocationRecord): Promise<void> => {
    if (!(entry.untilMs > now())) return;
    // Here first: refusing more on this instance is never unsafe.
    local.apply(entry);
    try {
      await storeRecord(command, keys, entry, now());
    } catch (cause) {
      // Refused while connected (out of memory, timeout, script error) or while down: kept and
      // re-sent until Redis accepts it. Full: refused outright, as the memory store does.
      if (!unshared.add(entry)) {
        logger.error({ err: cause, kind: entry.kind, unshared: unshared.size }, 'revocation not written to redis, and too many await re-sending: refused');
        throw new RevocationCapacityError(entry.kind === 't' ? 'token' : 'subject', unshared.max);
      }
      logger.error({ err: cause, kind: entry.kind }, 'revocation not written to redis; applied on this instance, re-sent until redis accepts it');
      throw new RevocationNotSharedError({ cause });
    }
  };

  const judge = (principal: RevocationTarget, token: RevocationRecord | undefined, subject: RevocationRecord | undefined): boolean => {
    const t = now();
    if (token && t < token.untilMs) return true;
    if (subject && t < subject.untilMs) {
      // No iat: the token cannot show it is newer than the subject's revocation.
      return principal.issuedAt === undefined || principal.issuedAt.getTime() < (subject.nbfMs ?? subject.untilMs);
    }
    return false;
  };

  const askRedis = async (tokenId: string | undefined, subjectId: string): Promise<[RevocationRecord | undefined, RevocationRecord | undefined]> => {
    const pipeline = command.pipeline();
    pipeline.hmget(keys.key('s', subjectId), 'nbf', 'until');
    if (tokenId) pipeline.hmget(keys.key('t', tokenId), 'nbf', 'until');
    const results = (await pipeline.exec()) ?? [];
    const read = (kind: 't' | 's', id: string, index: number): RevocationRecord | undefined => {
      const [error, fields] = results[index] ?? [new Error('no reply')];
      if (error) throw error;
      const [nbf, until] = fields as (string | null)[];
      return until ? decodeRecord(kind, id, nbf, until) : undefined;
    };
    const subject = read('s', subjectId, 0);
    const token = tokenId ? read('t', tokenId, 1) : undefined;
    for (const found of [subject, token]) if (found) local.apply(found);
    return [token, subject];
  };

  return {
    // Pub/sub messages, reloads and this instance's own revocations all land in the local copy.
    onRevocation: (listener) => local.onChange(listener),
    revokeToken: (jti, expiresAt) => record({ kind: 't', id: revocationId('t', jti), nbfMs: undefined, untilMs: expiresAt.getTime() }),
    revokeSubject: (sub, notBefore, until) =>
      record({ kind: 's', id: revocationId('s', sub), nbfMs: notBefore.getTime(), untilMs: until.getTime() }),
    isRevoked(principal) {
      const tokenId = principal.tokenId === undefined ? undefined : revocationId('t', principal.tokenId);
      const subjectId = revocationId('s', principal.subject);
      const token = tokenId ? local.lookup('t', tokenId) : undefined;
      const subject = local.lookup('s', subjectId);
      // A revocation this instance knows is an answer whatever Redis's state: 401, not 503.
      if (judge(principal, token, subject)) return true;
      const health = sync.health();
      if (health === 'down') throw unavailable(new Error('revocation list unavailable: redis lost'));
      if (health === 'stale') {
        if (!local.complete) throw unavailable(new Error('revocation list unavailable: local copy incomplete and redis lost'));
        if (now() - lastStaleLogMs >= STALE_LOG_EVERY_MS) {
          lastStaleLogMs = now();
          logger.warn({ ...sync.status() }, 'redis lost: revocation answered from the local copy (stale)');
        }
        return false;
      }
      if (local.complete) return false;
      // An incomplete copy: its miss proves nothing, Redis decides.
      return askRedis(tokenId, subjectId).then(
        ([t, s]) => judge(principal, t, s),
        (cause: unknown) => {
          throw unavailable(cause);
        },
      );
    },
  };
}
